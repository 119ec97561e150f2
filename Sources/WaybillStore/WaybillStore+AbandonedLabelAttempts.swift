public import Foundation
import GRDB

/// A label purchase the station gave up (a relabel, an intercept) before it learned whether the
/// provider sold the label: the label, if it exists, is looked up and voided.
public struct AbandonedLabelAttempt: Sendable, Hashable, Codable {
    /// The purchase's key (the provider knows the label by it: ShipEngine's `external_shipment_id`).
    public let key: String
    public let orderID: String
    public let boxNo: Int
    /// Why it was given up (the conflict).
    public let reason: String
    /// What came of it at the provider (`no label was sold`, `label se-1 voided`, a refused void);
    /// nil until the provider answered.
    public let outcome: String?
    /// When its last request ended, or the latest it could have ended (its deadline) when the
    /// process died during it.
    public let updatedAt: Date
}

extension WaybillStore {
    /// Purchases from `provider` given up before their answer came, whose label the provider has not
    /// yet been asked about.
    public func abandonedLabelAttemptsDue(provider: String, limit: Int = 50) throws -> [AbandonedLabelAttempt] {
        try read("list the given-up label purchases to settle at \(provider)") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM label_attempts
                    WHERE provider = ? AND abandoned IS NOT NULL AND abandon_outcome IS NULL AND label_id IS NULL
                    ORDER BY updated_at LIMIT ?
                    """,
                arguments: [provider, limit]
            ).map(AbandonedLabelAttempt.init(row:))
        }
    }

    /// The purchases of `orderID` given up before their answer came, with what came of them.
    public func abandonedLabelAttempts(orderID: String) throws -> [AbandonedLabelAttempt] {
        try read("list the given-up label purchases of order \(orderID)") { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM label_attempts WHERE order_id = ? AND abandoned IS NOT NULL ORDER BY box_no, purchase_key",
                arguments: [orderID]
            ).map(AbandonedLabelAttempt.init(row:))
        }
    }

    /// Records what the provider said of a given-up purchase's label.
    public func recordAbandonOutcome(key: String, outcome: String, now: Date = Date()) throws {
        try write("record what came of a given-up label purchase") { db in
            try db.execute(
                sql: "UPDATE label_attempts SET abandon_outcome = ?, updated_at = ? WHERE purchase_key = ?",
                arguments: [String(outcome.prefix(500)), now.timeIntervalSince1970, key]
            )
        }
    }
}

extension AbandonedLabelAttempt {
    init(row: Row) {
        self.init(
            key: row["purchase_key"],
            orderID: row["order_id"],
            boxNo: row["box_no"],
            reason: row["abandoned"],
            outcome: row["abandon_outcome"],
            updatedAt: Date(timeIntervalSince1970: max(row["updated_at"], row["unanswered_since"] ?? 0))
        )
    }
}
