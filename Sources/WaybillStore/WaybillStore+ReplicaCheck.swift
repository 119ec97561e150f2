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
        try read("check the replica against the contract") { db in
            var found: [UndecodableRow] = []
            func check<T: Decodable>(_ table: String, id: String = "id", as type: T.Type) throws {
                let rows = try Row.fetchCursor(db, sql: "SELECT \(id) AS id, data FROM \(table)")
                while found.count < limit, let row = try rows.next() {
                    let text: String = row["data"]
                    do {
                        _ = try JSONDecoder().decode(T.self, from: Data(text.utf8))
                    } catch {
                        found.append(UndecodableRow(table: table, id: row["id"], reason: "\(error)"))
                    }
                }
            }
            try check("orders", as: CentralAPI.OrderData.self)
            try check("skus", as: CentralAPI.SKUData.self)
            try check("boxes", as: CentralAPI.BoxData.self)
            try check("rules", as: CentralAPI.RulesData.self)
            try check("rate_tables", as: RateModel.self)
            try check("carrier_labels", as: CentralAPI.LabelData.self)
            return found
        }
    }
}
