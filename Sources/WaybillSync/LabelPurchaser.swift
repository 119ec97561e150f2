public import Foundation
public import Logging
public import WaybillCore
import WaybillHTTP
public import WaybillStore

/// Buys the carrier labels of confirmed label requests, one per box, each under its own
/// idempotency key: a retry after a crash or a lost answer gets the label bought the first time.
///
/// Runs after each push; a box whose purchase the central API refuses (order cancelled, not
/// shippable) waits with backoff while the feed brings the reason and the conflict rules act on it.
public actor LabelPurchaser {
    let client: CentralClient
    let store: WaybillStore
    let policy: RetryPolicy
    let logger: Logger
    /// Backoff per purchase key: failures so far and when to try again.
    private var backoff: [String: (failures: Int, retryAt: Date)] = [:]

    public init(client: CentralClient, store: WaybillStore, policy: RetryPolicy, logger: Logger) {
        self.client = client
        self.store = store
        self.policy = policy
        self.logger = logger
    }

    /// What one round did.
    public struct Report: Sendable {
        public var bought = 0
        public var refused = 0
    }

    /// Buys every due label not in backoff.
    ///
    /// - Throws: ``SyncError`` `.transport` and server errors, which stop the round (the next cycle retries).
    public func purchaseDue(now: Date = Date()) async throws(SyncError) -> Report {
        var report = Report()
        let due: [LabelPurchaseDue]
        do {
            due = try store.labelPurchasesDue()
        } catch {
            throw SyncError(.schema, "cannot list the labels to buy: \(error)")
        }
        for item in due where (backoff[item.idempotencyKey]?.retryAt ?? .distantPast) <= now {
            let body: [UInt8]
            do {
                // Canonical: a retry (from this process or a restarted one) is byte-identical to the first request.
                body = Array(try CanonicalJSON.encode(item.purchase))
            } catch {
                throw SyncError(.schema, "cannot encode a label purchase: \(error)")
            }
            let response = try await client.send(
                "POST",
                "/v1/labels",
                body: body,
                headers: [(name: "Idempotency-Key", value: item.idempotencyKey)],
                accepting: [409, 422]
            )
            guard response.status == 200 else {
                let failures = (backoff[item.idempotencyKey]?.failures ?? 0) + 1
                backoff[item.idempotencyKey] = (failures, now.addingTimeInterval(policy.delay(afterFailures: failures - 1).seconds))
                report.refused += 1
                logger.warning(
                    "Carrier label refused; waiting for the order's central state",
                    metadata: [
                        "order.id": "\(item.purchase.orderID)", "label.box": "\(item.purchase.boxNo)", "http.status": "\(response.status)",
                        "reason": "\(String(decoding: response.body.prefix(300), as: UTF8.self))",
                    ]
                )
                continue
            }
            do {
                let label = try JSONDecoder().decode(CentralAPI.LabelData.self, from: Data(response.body))
                try store.recordPurchasedLabel(label, json: String(decoding: response.body, as: UTF8.self))
                backoff[item.idempotencyKey] = nil
                report.bought += 1
                logger.info("Carrier label bought", metadata: ["order.id": "\(label.orderID)", "label.id": "\(label.labelID)"])
            } catch {
                throw SyncError(
                    .schema,
                    "the label answer for order \(item.purchase.orderID) is unusable: \(error); it will be bought again under the same key"
                )
            }
        }
        return report
    }
}
