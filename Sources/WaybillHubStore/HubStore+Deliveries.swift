public import Foundation
import GRDB

/// One delivery of an operation or a label purchase, whatever became of it: a first application,
/// a repeat answered from the stored result, or a refusal.
public struct Delivery: Codable, Sendable, Hashable {
    public enum Outcome: String, Codable, Sendable {
        /// The first delivery of its key: it took effect (see the ledger).
        case applied
        /// A repeat of a key already answered: answered again, no second effect.
        case duplicate
        /// Refused (conflict, rejection, or a label key reused with another body): no effect.
        case refused
    }

    public let stationID: String
    public let epoch: Int?
    public let seq: Int?
    public let idempotencyKey: String
    public let type: String
    public let entityID: String
    public let outcome: Outcome
    /// Why a refused delivery was refused (`order_cancelled`, `idempotency_key_reused`, …).
    public let reason: String?

    public init(
        stationID: String,
        epoch: Int?,
        seq: Int?,
        idempotencyKey: String,
        type: String,
        entityID: String,
        outcome: Outcome,
        reason: String? = nil
    ) {
        self.stationID = stationID
        self.epoch = epoch
        self.seq = seq
        self.idempotencyKey = idempotencyKey
        self.type = type
        self.entityID = entityID
        self.outcome = outcome
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case stationID = "station_id"
        case epoch, seq
        case idempotencyKey = "idempotency_key"
        case type
        case entityID = "entity_id"
        case outcome, reason
    }
}

extension HubStore {
    static func appendDelivery(_ db: Database, _ delivery: Delivery, now: Date) throws {
        try db.execute(
            sql: """
                INSERT INTO deliveries (station_id, epoch, seq, idempotency_key, type, entity_id, outcome, reason, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                delivery.stationID, delivery.epoch, delivery.seq, delivery.idempotencyKey, delivery.type, delivery.entityID,
                delivery.outcome.rawValue, delivery.reason, now.timeIntervalSince1970,
            ]
        )
    }

    /// Records a delivery in a transaction of its own (label purchases).
    public func recordDelivery(_ delivery: Delivery, now: Date = Date()) throws {
        try writer.write { db in try Self.appendDelivery(db, delivery, now: now) }
    }

    /// Every delivery, oldest first.
    public func deliveries() throws -> [Delivery] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM deliveries ORDER BY id").map { row in
                Delivery(
                    stationID: row["station_id"],
                    epoch: row["epoch"],
                    seq: row["seq"],
                    idempotencyKey: row["idempotency_key"],
                    type: row["type"],
                    entityID: row["entity_id"],
                    outcome: Delivery.Outcome(rawValue: row["outcome"]) ?? .refused,
                    reason: row["reason"]
                )
            }
        }
    }
}
