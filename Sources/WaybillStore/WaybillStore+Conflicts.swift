public import Foundation
import GRDB
import WaybillCore

/// A conflict as a person sees it.
public struct ConflictRecord: Sendable, Hashable, Codable {
    public let id: Int64
    public let entity: String
    public let entityID: String
    public let rule: String
    public let reason: String
    public let localData: String?
    public let centralData: String?
    /// `needs_person`, `auto_resolved` or `resolved`.
    public let state: String
    public let resolution: String?
    public let resolvedBy: String?
    public let note: String?
    public let createdAt: Date

    init(row: Row) {
        id = row["id"]
        entity = row["entity"]
        entityID = row["entity_id"]
        rule = row["rule"]
        reason = row["reason"]
        localData = row["local_data"]
        centralData = row["central_data"]
        state = row["state"]
        resolution = row["resolution"]
        resolvedBy = row["resolved_by"]
        note = row["note"]
        createdAt = Date(timeIntervalSince1970: row["created_at"])
    }

    enum CodingKeys: String, CodingKey {
        case id, entity
        case entityID = "entity_id"
        case rule, reason
        case localData = "local_data"
        case centralData = "central_data"
        case state, resolution
        case resolvedBy = "resolved_by"
        case note
        case createdAt = "created_at"
    }
}

/// Which side a person keeps when resolving a conflict.
public enum ConflictResolution: String, Sendable, Hashable, CaseIterable, Codable {
    /// Keep the station's work: held operations for the entity are queued again.
    case local
    /// Keep the central version: held operations for the entity are discarded.
    case central
}

extension WaybillStore {
    /// Conflicts, newest first; only those needing a person when `openOnly`.
    public func conflicts(openOnly: Bool = false, limit: Int = 200) throws -> [ConflictRecord] {
        try read("list conflicts") { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM conflicts \(openOnly ? "WHERE state = 'needs_person'" : "") ORDER BY id DESC LIMIT ?",
                arguments: [limit]
            )
            .map(ConflictRecord.init(row:))
        }
    }

    /// One conflict, or nil.
    public func conflict(id: Int64) throws -> ConflictRecord? {
        try read("read a conflict") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM conflicts WHERE id = ?", arguments: [id]).map(ConflictRecord.init(row:))
        }
    }

    /// Resolves a conflict: records who kept which side and why, releases or discards the operations
    /// held for its entity, and queues a `resolve_conflict` operation, all in one transaction.
    ///
    /// - Throws: ``StoreError`` `.notFound` for an unknown id, `.invalidTransition` for a conflict already
    ///   resolved, or a resplit whose packed order was not planned again since it came.
    @discardableResult
    public func resolveConflict(id: Int64, keep: ConflictResolution, by person: String, note: String?, now: Date = Date()) throws -> ConflictRecord {
        try write("resolve conflict \(id)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM conflicts WHERE id = ?", arguments: [id]) else {
                throw StoreError(.notFound, "there is no conflict #\(id); list them with `waybill conflicts list`")
            }
            guard (row["state"] as String) == "needs_person" else {
                throw StoreError(.invalidTransition, "conflict #\(id) is already \(row["state"] as String)")
            }
            // A resplit's plan no longer holds the order's lines: resolving it first would print and
            // ship the old boxes. A packed order is planned again first (a labelled one cannot be).
            if (row["rule"] as String) == ConflictRule.resplit.rawValue {
                let orderID: String = row["entity_id"]
                let stale =
                    try Bool.fetchOne(
                        db,
                        sql: """
                            SELECT EXISTS (SELECT 1 FROM orders o JOIN shipments s ON s.order_id = o.id
                                           WHERE o.id = ? AND o.state = 'packed' AND s.planned_at <= ?)
                            """,
                        arguments: [orderID, row["created_at"] as Double]
                    ) ?? false
                guard !stale else {
                    throw StoreError(
                        .invalidTransition,
                        "conflict #\(id): the box plan of order \(orderID) predates its new lines; "
                            + "plan the boxes again first (`waybill pack \(orderID) --replan`), then resolve it"
                    )
                }
            }
            try db.execute(
                sql: "UPDATE conflicts SET state = 'resolved', resolution = ?, resolved_by = ?, note = ?, resolved_at = ? WHERE id = ?",
                arguments: [keep.rawValue, person, note, now.timeIntervalSince1970, id]
            )
            let held = try Int64.fetchAll(db, sql: "SELECT id FROM outbox WHERE state = 'held' AND conflict_id = ? ORDER BY id", arguments: [id])
            for entry in held {
                if keep == .local {
                    let station = try Row.fetchOne(db, sql: "SELECT station_id, epoch FROM station WHERE id = 1")
                    let seq = try Self.nextSeq(db, stationID: station?["station_id"] ?? "", epoch: station?["epoch"] ?? 1)
                    try db.execute(
                        sql: """
                            UPDATE outbox SET state = 'pending', seq = ?, epoch = (SELECT epoch FROM station WHERE id = 1),
                                last_error = NULL, next_attempt_at = ? WHERE id = ?
                            """,
                        arguments: [seq, now.timeIntervalSince1970, entry]
                    )
                } else {
                    try db.execute(
                        sql: "UPDATE outbox SET state = 'dead', last_error = ? WHERE id = ?",
                        arguments: ["discarded: conflict #\(id) resolved keeping central", entry]
                    )
                }
            }
            let payload = CentralAPI.ResolveConflictPayload(conflictID: id, keep: keep.rawValue, rule: row["rule"], note: note)
            _ = try Self.appendOperation(db, kind: .resolveConflict, entityID: row["entity_id"], baseVersion: nil, payload: payload, now: now)
            return ConflictRecord(row: try Row.fetchOne(db, sql: "SELECT * FROM conflicts WHERE id = ?", arguments: [id])!)
        }
    }
}

extension WaybillStore {
    /// Records a conflict and returns its id.
    static func recordConflict(
        _ db: Database,
        entity: String,
        entityID: String,
        rule: ConflictRule,
        reason: String,
        localData: String?,
        centralData: String?,
        now: Date
    ) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO conflicts (entity, entity_id, rule, reason, local_data, central_data, state, resolved_by, created_at, resolved_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                entity, entityID, rule.rawValue, reason, localData, centralData, rule.needsPerson ? "needs_person" : "auto_resolved",
                rule.needsPerson ? nil : "rule", now.timeIntervalSince1970, rule.needsPerson ? nil : now.timeIntervalSince1970,
            ]
        )
        return db.lastInsertedRowID
    }
}
