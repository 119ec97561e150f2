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
            switch try await provider.buy(item, now: now) {
            case .retryLater(let reason, let askAgainBy):
                wait(item, now: now, notAfter: askAgainBy)
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
            await settleAbandoned(now: now)
        }
    }

    /// Looks up and voids the labels that purchases given up before their answer came may have
    /// bought (a relabel or an intercept came first): none is left live, paid for, on no box. One
    /// the provider cannot answer for waits with backoff (at least its Retry-After) and the rest wait
    /// for the next round; purchases are not held up.
    private func settleAbandoned(now: Date) async {
        let due: [AbandonedLabelAttempt]
        do {
            due = try store.abandonedLabelAttemptsDue(provider: provider.name)
        } catch {
            logger.error("Cannot list the given-up label purchases; they are settled later", metadata: ["reason": "\(error)"])
            return
        }
        for attempt in due where (backoff[Self.givenUp(attempt)]?.retryAt ?? .distantPast) <= now {
            let outcome: AbandonedLabelOutcome
            do {
                outcome = try await provider.settle(attempt)
            } catch {
                wait(Self.givenUp(attempt), now: now, retryAfter: error.retryAfter)
                logger.notice(
                    "A given-up label purchase could not be settled at the provider; it is asked about again",
                    metadata: ["order.id": "\(attempt.orderID)", "label.box": "\(attempt.boxNo)", "reason": "\(error.message)"]
                )
                // The provider itself failing (no answer, 5xx, 429, the key): the others wait for the next round.
                if error.code != .refused { return }
                continue
            }
            // A request that went out lately may still be sold: only later does "none" mean none.
            if case .noneSold = outcome, now.timeIntervalSince(attempt.updatedAt) < Self.settleGrace {
                // Asked again once the grace is over, not after a backoff that grew meanwhile.
                backoff[Self.givenUp(attempt)] = (0, attempt.updatedAt.addingTimeInterval(Self.settleGrace))
                continue
            }
            do {
                try store.recordAbandonOutcome(key: attempt.key, outcome: outcome.text, now: now)
            } catch {
                logger.error("Cannot record what came of a given-up label purchase", metadata: ["reason": "\(error)"])
                continue
            }
            backoff[Self.givenUp(attempt)] = nil
            var metadata: Logger.Metadata = [
                "order.id": "\(attempt.orderID)", "label.box": "\(attempt.boxNo)", "reason": "\(attempt.reason)", "outcome": "\(outcome.text)",
            ]
            if case .voidRefused = outcome {
                metadata["effect"] = "the label stays live at the provider and may be charged"
                logger.error("The shipping provider refused to void the label of a given-up purchase", metadata: metadata)
            } else {
                logger.notice("A label purchase given up before its answer came is settled at the provider", metadata: metadata)
            }
        }
    }

    /// How long after its last unanswered request a purchase may still be sold by a provider that
    /// takes no idempotency key (its server goes on when the client gives up): a look-up that finds
    /// no label earlier is asked again, for a given-up purchase and before a box is bought again.
    public static let settleGrace: TimeInterval = 60

    private static func givenUp(_ attempt: AbandonedLabelAttempt) -> String { "given-up " + attempt.key }

    /// Puts one box's purchase in backoff, asked again no later than `notAfter` when given.
    private func wait(_ item: LabelPurchaseDue, now: Date, notAfter: Date? = nil) {
        wait(item.idempotencyKey, now: now)
        if let notAfter, let waiting = backoff[item.idempotencyKey], waiting.retryAt > notAfter {
            backoff[item.idempotencyKey] = (waiting.failures, notAfter)
        }
    }

    private func wait(_ key: String, now: Date, retryAfter: Duration? = nil) {
        let failures = (backoff[key]?.failures ?? 0) + 1
        backoff[key] = (failures, now.addingTimeInterval(policy.delay(afterFailures: failures - 1, retryAfter: retryAfter).seconds))
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
