import Foundation
import GRDB
import WaybillCore

/// A replica row that does not decode with the central contract's types.
public struct UndecodableRow: Sendable, Hashable {
    /// The replica table, such as `orders`.
    public let table: String
    public let id: String
    /// What the decoder said.
    public let reason: String
}

extension WaybillStore {
    /// Every replica row whose stored data does not decode with the contract type of its entity
    /// (at most `limit`): nothing unvalidated should be in the replica, so `waybill doctor` reports
    /// any such row (one that an older version let in, or a damaged file).
    public func undecodableReplicaRows(limit: Int = 20) throws -> [UndecodableRow] {
        try read("check the replica against the contract") { db in try Self.undecodableRows(db, limit: limit).map(\.row) }
    }

    /// The replica's tables with their entity types and contract types.
    static let replicaTables: [(table: String, entity: CentralAPI.Entity, decode: @Sendable (Data) throws -> Void)] = [
        ("orders", .order, { _ = try JSONDecoder().decode(CentralAPI.OrderData.self, from: $0) }),
        ("skus", .sku, { _ = try JSONDecoder().decode(CentralAPI.SKUData.self, from: $0) }),
        ("boxes", .box, { _ = try JSONDecoder().decode(CentralAPI.BoxData.self, from: $0) }),
        ("rules", .rules, { _ = try JSONDecoder().decode(CentralAPI.RulesData.self, from: $0) }),
        ("rate_tables", .rateTable, { _ = try JSONDecoder().decode(RateModel.self, from: $0) }),
        ("carrier_labels", .label, { _ = try JSONDecoder().decode(CentralAPI.LabelData.self, from: $0) }),
    ]

    /// Up to `limit` replica rows that do not decode, with their entity, version and data.
    static func undecodableRows(_ db: Database, limit: Int) throws -> [(row: UndecodableRow, entity: CentralAPI.Entity, version: Int, data: String)] {
        var found: [(row: UndecodableRow, entity: CentralAPI.Entity, version: Int, data: String)] = []
        for (table, entity, decode) in replicaTables {
            let rows = try Row.fetchCursor(db, sql: "SELECT id, version, data FROM \(table)")
            while found.count < limit, let row = try rows.next() {
                let text: String = row["data"]
                do {
                    try decode(Data(text.utf8))
                } catch {
                    found.append((UndecodableRow(table: table, id: row["id"], reason: "\(error)"), entity, row["version"], text))
                }
            }
        }
        return found
    }
}
