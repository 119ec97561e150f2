import Foundation
import GRDB
import WaybillCore

/// A replica row that breaks the central contract: its data is not JSON SQLite reads, does not
/// decode with its entity's type, or breaks the contract's rules (``CentralValidation``).
public struct ReplicaRowProblem: Sendable, Hashable {
    /// The replica table, such as `orders`.
    public let table: String
    public let id: String
    /// What the check said.
    public let reason: String
    /// Whether SQLite cannot read its data as JSON (every query that meets the row fails), rather
    /// than the row breaking the contract's type or rules.
    public let unreadable: Bool
}

extension WaybillStore {
    /// Every replica row whose stored data breaks the contract of its entity (at most `limit`):
    /// nothing unvalidated should be in the replica, so `waybill doctor` reports any such row (one
    /// that an older version let in, or a damaged file).
    public func replicaRowsBreakingTheContract(limit: Int = 20) throws -> [ReplicaRowProblem] {
        try read("check the replica against the contract") { db in try Self.rowsBreakingTheContract(db, limit: limit).map(\.row) }
    }

    /// The replica's tables that keep their entity's central data, with their entity types (stock
    /// keeps only its count, in a column).
    static let replicaTables: [(table: String, entity: CentralAPI.Entity)] = [
        ("orders", .order), ("skus", .sku), ("boxes", .box), ("rules", .rules), ("rate_tables", .rateTable), ("carrier_labels", .label),
    ]

    /// Up to `limit` replica rows that break the contract, with their entity, version and data.
    static func rowsBreakingTheContract(
        _ db: Database,
        limit: Int
    ) throws -> [(row: ReplicaRowProblem, entity: CentralAPI.Entity, version: Int, data: String)] {
        var found: [(row: ReplicaRowProblem, entity: CentralAPI.Entity, version: Int, data: String)] = []
        for (table, entity) in replicaTables {
            // SQLite's own reading first: the decoder accepts some text it refuses (a control
            // character in a string, a number written `01`), and every query that reads the row
            // would then fail.
            let rows = try Row.fetchCursor(db, sql: "SELECT id, version, data, json_valid(data) AS valid FROM \(table)")
            while found.count < limit, let row = try rows.next() {
                let text: String = row["data"]
                let id: String = row["id"]
                let readable: Bool = row["valid"]
                let reason =
                    readable
                    ? CentralValidation.problem(entity: entity.rawValue, id: id, data: Data(text.utf8))
                    : "its data is not valid JSON (SQLite cannot read it)"
                if let reason {
                    found.append((ReplicaRowProblem(table: table, id: id, reason: reason, unreadable: !readable), entity, row["version"], text))
                }
            }
        }
        return found
    }
}
