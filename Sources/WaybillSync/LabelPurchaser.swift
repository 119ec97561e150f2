public import Foundation
public import Logging
public import WaybillCore
public import WaybillStore

/// Buys the carrier labels of confirmed label requests, one per box, from the station's
/// ``LabelProvider``, and voids at the provider the labels the station voided (when the provider
/// is voided directly).
///
/// Runs after each push; a box whose purchase the provider refuses (order cancelled, an address
/// the carrier rejects) waits with backoff, its reason kept for people, while the others go on.
public actor LabelPurchaser {
    let provider: any LabelProvider
    let store: WaybillStore
    let policy: RetryPolicy
    let logger: Logger
    /// Backoff per purchase key: failures so far and when to try again.
    private var backoff: [String: (failures: Int, retryAt: Date)] = [:]
    /// After a failure of the provider itself (no answer, 5xx, 429, the key refused): rounds in a
    /// row that failed, and when the next round may run.
    private var paused: (failures: Int, until: Date)?

    public init(provider: any LabelProvider, store: WaybillStore, policy: RetryPolicy, logger: Logger) {
        self.provider = provider
        self.store = store
        self.policy = policy
        self.logger = logger
    }

    /// What one round did.
    public struct Report: Sendable {
        public var bought = 0
        public var refused = 0
        public var voided = 0
    }

    /// Buys every due label not in backoff, then voids what must be voided at the provider.
    ///
    /// - Throws: ``SyncError`` `.transport` and server errors, which stop the round (the next cycle retries).
    public func purchaseDue(now: Date = Date()) async throws(SyncError) -> Report {
        var report = Report()
        try await purchaseDue(now: now, into: &report)
        return report
    }

    /// Buys and voids as ``purchaseDue(now:)`` does, counting into `report` as it goes: when a
    /// purchase fails, `report` still tells what the round did before it. After a failure of the
    /// provider itself, rounds wait with backoff (at least its Retry-After) and do nothing until then.
    public func purchaseDue(now: Date = Date(), into report: inout Report) async throws(SyncError) {
        if let paused, paused.until > now { return }
        do {
            try await round(now: now, into: &report)
            paused = nil
        } catch {
            let failures = (paused?.failures ?? 0) + 1
            paused = (failures, now.addingTimeInterval(policy.delay(afterFailures: failures - 1, retryAfter: error.retryAfter).seconds))
            throw error
        }
    }

    /// When the next round may run, while rounds wait after a failure of the provider.
    public var pausedUntil: Date? { paused?.until }

    private func round(now: Date, into report: inout Report) async throws(SyncError) {
        let due: [LabelPurchaseDue]
        do {
            due = try store.labelPurchasesDue()
        } catch {
            throw SyncError(.schema, "cannot list the labels to buy: \(error)")
        }
        for item in due where (backoff[item.idempotencyKey]?.retryAt ?? .distantPast) <= now {
            switch try await provider.buy(item) {
            case .retryLater(let reason):
                wait(item, now: now)
                logger.notice(
                    "Carrier label not finished; the box waits and the others go on",
                    metadata: ["order.id": "\(item.purchase.orderID)", "label.box": "\(item.purchase.boxNo)", "reason": "\(reason)"]
                )
            case .refused(let reason):
                wait(item, now: now)
                report.refused += 1
                try? store.recordLabelRefusal(
                    key: item.idempotencyKey,
                    provider: provider.name,
                    orderID: item.purchase.orderID,
                    boxNo: item.purchase.boxNo,
                    reason: reason,
                    now: now
                )
                logger.warning(
                    "Carrier label refused; the box waits",
                    metadata: [
                        "order.id": "\(item.purchase.orderID)", "label.box": "\(item.purchase.boxNo)", "label.provider": "\(provider.name)",
                        "reason": "\(reason)",
                    ]
                )
            case .bought(let label, let json, let providerLabelID):
                do {
                    try store.recordPurchasedLabel(label, json: json, key: item.idempotencyKey, providerLabelID: providerLabelID, now: now)
                } catch {
                    throw SyncError(.schema, "cannot store the label of order \(label.orderID): \(error); the purchase is retried under the same key")
                }
                backoff[item.idempotencyKey] = nil
                report.bought += 1
                logger.info(
                    "Carrier label bought",
                    metadata: ["order.id": "\(label.orderID)", "label.id": "\(label.labelID)", "label.provider": "\(provider.name)"]
                )
            }
        }
        if provider.voidsDirectly {
            try await voidDue(into: &report)
            try await settleAbandoned()
        }
    }

    /// Looks up and voids the labels that purchases given up before their answer came may have
    /// bought (a relabel or an intercept came first): none is left live, paid for, on no box.
    private func settleAbandoned() async throws(SyncError) {
        let due: [AbandonedLabelAttempt]
        do {
            due = try store.abandonedLabelAttemptsDue(provider: provider.name)
        } catch {
            throw SyncError(.schema, "cannot list the given-up label purchases: \(error)")
        }
        for attempt in due {
            let outcome = try await provider.settle(attempt)
            do {
                try store.recordAbandonOutcome(key: attempt.key, outcome: outcome)
            } catch {
                throw SyncError(.schema, "cannot record what came of a given-up label purchase: \(error)")
            }
            logger.notice(
                "A label purchase given up before its answer came is settled at the provider",
                metadata: ["order.id": "\(attempt.orderID)", "label.box": "\(attempt.boxNo)", "reason": "\(attempt.reason)", "outcome": "\(outcome)"]
            )
        }
    }

    /// Puts one box's purchase in backoff.
    private func wait(_ item: LabelPurchaseDue, now: Date) {
        let failures = (backoff[item.idempotencyKey]?.failures ?? 0) + 1
        backoff[item.idempotencyKey] = (failures, now.addingTimeInterval(policy.delay(afterFailures: failures - 1).seconds))
    }

    /// Voids at the provider every label the station voided; a refused void (the carrier scanned
    /// the parcel already) is recorded with the provider's message, not retried.
    private func voidDue(into report: inout Report) async throws(SyncError) {
        let due: [ProviderVoidDue]
        do {
            due = try store.providerVoidsDue(provider: provider.name)
        } catch {
            throw SyncError(.schema, "cannot list the labels to void: \(error)")
        }
        for item in due {
            let answer = try await provider.void(item)
            do {
                try store.recordProviderVoid(
                    labelID: item.labelID,
                    approved: answer.approved,
                    message: answer.message + (answer.reasonCode.map { " (\($0))" } ?? "")
                )
            } catch {
                throw SyncError(.schema, "cannot record the void of label \(item.labelID): \(error)")
            }
            report.voided += answer.approved ? 1 : 0
            if answer.approved {
                logger.info("Carrier label voided", metadata: ["order.id": "\(item.orderID)", "label.id": "\(item.labelID)"])
            } else {
                logger.error(
                    "The shipping provider refused to void a label; the order may be charged twice",
                    metadata: ["order.id": "\(item.orderID)", "label.id": "\(item.labelID)", "reason": "\(answer.message)"]
                )
            }
        }
    }
}
