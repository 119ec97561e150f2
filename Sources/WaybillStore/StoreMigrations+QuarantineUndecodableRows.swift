import Foundation
import GRDB

extension StoreMigrations {
    /// Nothing unvalidated stays in the replica: a row an older waybill let in that does not decode
    /// with the contract types moves to the quarantine with the decoder's reason (a newer valid
    /// version from the central feed replaces it, or `waybill quarantine retry`), instead of failing
    /// every read that meets it.
    static func quarantineUndecodableRows(_ db: Database) throws {
        let now = Date().timeIntervalSince1970
        for (row, entity, version, data) in try WaybillStore.undecodableRows(db, limit: .max) {
            try WaybillStore.quarantine(
                db,
                entity: entity.rawValue,
                id: row.id,
                version: version,
                op: "upsert",
                data: data,
                reason: "it does not decode with the contract types (found when the database was upgraded): \(row.reason)",
                now: now
            )
            try db.execute(sql: "DELETE FROM \(row.table) WHERE id = ?", arguments: [row.id])
        }
    }
}
