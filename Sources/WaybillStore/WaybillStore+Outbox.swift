public import Foundation
import GRDB
public import WaybillCore

extension WaybillStore {
    /// Appends an operation to the outbox inside the caller's transaction and returns it.
    ///
    /// Takes the next sequence number of the current epoch, so operations are numbered in commit order.
    /// The payload is stored in its canonical JSON and sent as those bytes on every attempt.
    ///
    /// - Throws: ``StoreError`` `.invalidTransition` when `payload` is not `kind`'s payload type.
    static func appendOperation(
        _ db: Database,
        kind: OperationKind,
        entityID: String,
        baseVersion: Int?,
        payload: some OperationPayload,
        now: Date
    ) throws -> OutboxOperation {
        guard type(of: payload) == kind.payloadType else {
            throw StoreError(.invalidTransition, "a \(kind.rawValue) operation carries a \(kind.payloadType) payload, not \(type(of: payload))")
        }
        let payload = try payload.canonicalText()
        // The identity and the next sequence number of its epoch (as ``nextSeq(_:stationID:epoch:)``), in one look.
        let next = try db.cachedStatement(
            sql: """
                SELECT station_id, epoch,
                       ifnull((SELECT max(seq) FROM outbox o WHERE o.station_id = s.station_id AND o.epoch = s.epoch), 0) + 1 AS seq
                FROM station s WHERE id = 1
                """
        )
        guard let row = try Row.fetchOne(next), let stationID = StationID(rawValue: row["station_id"]) else {
            throw StoreError(.notFound, "the database has no station identity yet; start the agent or run `waybill status` once")
        }
        let identity = StationIdentity(stationID: stationID, epoch: row["epoch"])
        let seq: Int = row["seq"]
        var random = SystemRandomNumberGenerator()
        let operation = OutboxOperation(
            stationID: stationID,
            epoch: identity.epoch,
            seq: seq,
            idempotencyKey: identity.newIdempotencyKey(using: &random),
            kind: kind,
            entityID: entityID,
            baseVersion: baseVersion,
            payload: payload
        )
        try db.cachedStatement(
            sql: """
                INSERT INTO outbox (station_id, epoch, seq, idempotency_key, type, entity_id, base_version, payload,
                                    state, attempts, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)
                """
        ).execute(
            arguments: [
                stationID.rawValue, identity.epoch, seq, operation.idempotencyKey, kind.rawValue, entityID,
                baseVersion, payload, now.timeIntervalSince1970, now.timeIntervalSince1970,
            ]
        )
        return operation
    }

    /// The next sequence number of an epoch: one past the highest in the outbox. (The v1 column
    /// `station.next_seq` is no longer maintained: deriving the number keeps it right through holds,
    /// discards and resets, and saves a write per action.)
    static func nextSeq(_ db: Database, stationID: String, epoch: Int) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(sql: "SELECT ifnull(max(seq), 0) + 1 FROM outbox WHERE station_id = ? AND epoch = ?"),
            arguments: [stationID, epoch]
        ) ?? 1
    }

    /// Outbox entries in a given state, oldest first (by epoch, then sequence number).
    public func outboxEntries(state: OutboxState = .pending, limit: Int = 100) throws -> [OutboxEntry] {
        try read("list the outbox") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM outbox WHERE state = ? ORDER BY epoch, seq LIMIT ?
                    """,
                arguments: [state.rawValue, limit]
            )
            .map(OutboxEntry.init(row:))
        }
    }
}

/// An outbox row: the operation plus its delivery bookkeeping.
public struct OutboxEntry: Sendable, Hashable {
    /// The row's id, stable for the entry's whole life (its seq may change when held entries leave the sequence).
    public let rowID: Int64
    public let operation: OutboxOperation
    public let state: OutboxState
    public let attempts: Int
    public let nextAttemptAt: Date
    public let lastError: String?
    public let createdAt: Date
    /// The conflict that dead-lettered or holds this entry.
    public let conflictID: Int64?

    init(row: Row) throws {
        let stationText: String = row["station_id"]
        let typeText: String = row["type"]
        let stateText: String = row["state"]
        guard let stationID = StationID(rawValue: stationText),
            let kind = OperationKind(rawValue: typeText),
            let state = OutboxState(rawValue: stateText)
        else {
            throw StoreError(
                .database,
                "outbox row \(row["id"] as Int? ?? 0) has an unknown station, type or state; run `waybill doctor`"
            )
        }
        rowID = row["id"]
        operation = OutboxOperation(
            stationID: stationID,
            epoch: row["epoch"],
            seq: row["seq"],
            idempotencyKey: row["idempotency_key"],
            kind: kind,
            entityID: row["entity_id"],
            baseVersion: row["base_version"],
            payload: row["payload"]
        )
        self.state = state
        attempts = row["attempts"]
        nextAttemptAt = Date(timeIntervalSince1970: row["next_attempt_at"])
        lastError = row["last_error"]
        createdAt = Date(timeIntervalSince1970: row["created_at"])
        conflictID = row["conflict_id"]
    }
}
