import Foundation
import GRDB
import Testing
import WaybillCore
import WaybillStore
import WaybillTestSupport

/// `waybill doctor`'s replica check: a row that does not decode with the contract types (one an
/// older version let in, or a damaged file) is found and named, and a sound replica passes.
@Suite struct ReplicaContractCheckTests {
    @Test func aRowThatDoesNotDecode_isFoundByTableAndID() throws {
        let (folder, store) = try WaybillStore.fixture()
        let path = folder.file("station.sqlite")
        let changes = ["O-1", "O-2"].map {
            PulledChange(entity: "order", id: $0, version: 1, op: "upsert", data: orderData(id: $0, lines: "[]"), fields: ["state": "assigned"])
        }
        _ = try store.applyPulledBatch(changes, cursor: "1.1")
        let sound = try store.replicaRowsBreakingTheContract()
        #expect(sound.isEmpty, "\(sound)")

        // As an older version stored it: a quantity no Int can hold.
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: #"UPDATE orders SET data = '{"id":"O-2","lines":[{"quantity":100000000000000000000}]}' WHERE id = 'O-2'"#)
        }
        let found = try store.replicaRowsBreakingTheContract()
        #expect(found.map(\.table) == ["orders"] && found.map(\.id) == ["O-2"], "\(found)")
    }
}
