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
    static func quarantineRowsBreakingTheContract(_ db: Database) throws {
        let now = Date().timeIntervalSince1970
        for (row, entity, version, data) in try WaybillStore.rowsBreakingTheContract(db, limit: .max) {
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
            try db.execute(sql: "DELETE FROM \(row.table) WHERE id = ?", arguments: [row.id])
        }
    }
}
