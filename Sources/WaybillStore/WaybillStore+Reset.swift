public import Foundation
import GRDB
import WaybillCore

/// How a client reset treats operations the central API has not confirmed.
public enum ResetMode: String, Sendable, Hashable, CaseIterable, Codable {
    /// Keep them: they are replayed under the new epoch with their original idempotency keys.
    case recover
    /// Drop them, after exporting them to a JSON file.
    case discard
}

/// What a client reset did.
public struct ResetReport: Sendable, Hashable {
    public let newEpoch: Int
    /// Unconfirmed operations replayed (recover) or discarded (discard).
    public let unconfirmed: Int
    public let backupPath: String?
    public let exportPath: String?
}

extension WaybillStore {
    /// Resets the replica: backs the database file up, starts a new epoch, empties the replica and its
    /// cursor (the next pull is a full resync), and replays or discards the unconfirmed outbox.
    ///
    /// Recover renumbers unconfirmed entries 1...n in the new epoch in their original order and keeps
    /// their idempotency keys, so the central API answers an already-applied one as a duplicate.
    /// Safe to interrupt: each step is one transaction and a re-run starts over from the state left.
    public func resetReplica(mode: ResetMode, backupPath: String?, exportPath: String?, now: Date = Date()) throws -> ResetReport {
        if let backupPath {
            try? FileManager.default.removeItem(atPath: backupPath)
            do {
                try writer.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [backupPath]) }
            } catch {
                throw StoreError(.database, "could not back the database up to \(backupPath): \(error); nothing was reset")
            }
        }
        if mode == .discard, let exportPath {
            let entries = try outboxEntries(state: .pending, limit: .max) + outboxEntries(state: .held, limit: .max)
            let exported = entries.map(\.operation)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            do {
                try encoder.encode(exported).write(to: URL(fileURLWithPath: exportPath), options: .atomic)
            } catch {
                throw StoreError(.database, "could not export unconfirmed operations to \(exportPath): \(error); nothing was reset")
            }
        }
        return try write("reset the replica") { db in
            try db.execute(sql: "UPDATE station SET epoch = epoch + 1 WHERE id = 1")
            let epoch = try Int.fetchOne(db, sql: "SELECT epoch FROM station WHERE id = 1") ?? 1
            for table in ["orders", "skus", "stock", "boxes", "rate_tables", "rules", "quarantine", "sync_cursors"] {
                try db.execute(sql: "DELETE FROM \(table)")
            }
            // A label a shipping provider sold comes back through no feed: it is kept (its attempt
            // names it); the hub's labels come again with the feed.
            try db.execute(
                sql: "DELETE FROM carrier_labels WHERE id NOT IN (SELECT label_id FROM label_attempts WHERE label_id IS NOT NULL)"
            )
            try db.execute(sql: "DELETE FROM sync_state WHERE key IN ('caught_up', 'last_pull_at')")
            let unconfirmed = try Int64.fetchAll(db, sql: "SELECT id FROM outbox WHERE state = 'pending' ORDER BY epoch, seq")
            switch mode {
            case .recover:
                for id in unconfirmed { try db.execute(sql: "UPDATE outbox SET seq = -1000000000 - id WHERE id = ?", arguments: [id]) }
                for (offset, id) in unconfirmed.enumerated() {
                    try db.execute(
                        sql: "UPDATE outbox SET epoch = ?, seq = ?, attempts = 0, next_attempt_at = ? WHERE id = ?",
                        arguments: [epoch, offset + 1, now.timeIntervalSince1970, id]
                    )
                }
            case .discard:
                try db.execute(
                    sql: "UPDATE outbox SET state = 'dead', last_error = ? WHERE state IN ('pending', 'held')",
                    arguments: ["discarded by a client reset\(exportPath.map { "; exported to \($0)" } ?? "")"]
                )
            }
            return ResetReport(newEpoch: epoch, unconfirmed: unconfirmed.count, backupPath: backupPath, exportPath: exportPath)
        }
    }
}
