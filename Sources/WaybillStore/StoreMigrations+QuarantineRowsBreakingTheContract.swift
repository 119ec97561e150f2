import Foundation
import GRDB

extension StoreMigrations {
    /// Nothing unvalidated stays in the replica: a row an older waybill let in that breaks the
    /// contract moves to the quarantine with the check's reason (a newer valid version from the
    /// central feed replaces it, or `waybill quarantine retry`), instead of failing every read that
    /// meets it or crashing the planner (a rate table dividing by zero).
    ///
    /// `v11` first ran this when the check only decoded (a replica upgraded past it now gets the
    /// whole check there); `v19` runs it again for replicas already past `v11`, since the builds
    /// before it did not apply the contract's rules (identifiers, ranges, a rate table that prices
    /// every zone).
    ///
    /// An order the station has worked on (a plan, a label, an operation in the outbox) stays where
    /// it is when SQLite can read it: removing it would hide that work (it would never ship, and
    /// come back as an order never seen, past the conflict rules). `waybill doctor` names it.
    static func quarantineRowsBreakingTheContract(_ db: Database) throws {
        let now = Date().timeIntervalSince1970
        for (row, entity, version, data) in try WaybillStore.rowsBreakingTheContract(db, limit: .max) {
            if entity == .order, !row.unreadable, try hasLocalWork(db, orderID: row.id) { continue }
            // A newer version already quarantined (by a build between) keeps its place.
            let quarantined = try Int.fetchOne(
                db,
                sql: "SELECT max(version) FROM quarantine WHERE entity = ? AND entity_id = ?",
                arguments: [entity.rawValue, row.id]
            )
            if (quarantined ?? .min) < version {
                try WaybillStore.quarantine(
                    db,
                    entity: entity.rawValue,
                    id: row.id,
                    version: version,
                    op: "upsert",
                    data: data,
                    reason: "it breaks the contract (found when the database was upgraded): \(row.reason)",
                    now: now
                )
            }
            try db.execute(sql: "DELETE FROM \(row.table) WHERE id = ?", arguments: [row.id])
        }
    }

    /// Whether the station has worked on order `orderID`: planned it, recorded a label for it, or
    /// logged an operation on it.
    private static func hasLocalWork(_ db: Database, orderID: String) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: """
                SELECT EXISTS (SELECT 1 FROM shipments WHERE order_id = ?1)
                    OR EXISTS (SELECT 1 FROM labels WHERE order_id = ?1)
                    OR EXISTS (SELECT 1 FROM outbox WHERE entity_id = ?1)
                """,
            arguments: [orderID]
        ) ?? false
    }
}
