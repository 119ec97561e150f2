import Foundation
import GRDB

/// One applied effect: what a station's operation or label purchase changed, and when.
public struct LedgerEntry: Codable, Sendable, Hashable {
    public let stationID: String
    public let epoch: Int?
    public let seq: Int?
    public let idempotencyKey: String
    public let type: String
    public let entityID: String
    public let version: Int?
    /// ISO 8601 time.
    public let appliedAt: String

    enum CodingKeys: String, CodingKey {
        case stationID = "station_id"
        case epoch, seq
        case idempotencyKey = "idempotency_key"
        case type
        case entityID = "entity_id"
        case version
        case appliedAt = "applied_at"
    }
}

extension HubStore {
    static func appendLedger(
        _ db: Database,
        stationID: String,
        epoch: Int?,
        seq: Int?,
        key: String,
        type: String,
        entityID: String,
        version: Int?,
        now: Date
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO ledger (station_id, epoch, seq, idempotency_key, type, entity_id, version, applied_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [stationID, epoch, seq, key, type, entityID, version, now.timeIntervalSince1970]
        )
    }

    /// Every applied effect, oldest first.
    public func ledger() throws -> [LedgerEntry] {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM ledger ORDER BY id").map { row in
                LedgerEntry(
                    stationID: row["station_id"],
                    epoch: row["epoch"],
                    seq: row["seq"],
                    idempotencyKey: row["idempotency_key"],
                    type: row["type"],
                    entityID: row["entity_id"],
                    version: row["version"],
                    appliedAt: formatter.string(from: Date(timeIntervalSince1970: row["applied_at"]))
                )
            }
        }
    }
}
