import GRDB
import Testing
import WaybillCore
import WaybillTestSupport

@testable import WaybillStore

/// `v11-quarantine-undecodable-rows` (which now runs the whole check at rest): a replica that an older waybill let bad rows into (the issue's
/// `tru` literal, which failed every order listing with "malformed JSON") opens with those rows in the
/// quarantine, their reasons and data kept, and every other row where it was.
@Suite struct UndecodableRowsMigrationTests {
    @Test func rowsThatDoNotDecode_moveToTheQuarantine_andTheRestStays() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("station.sqlite")
        let good = orderData(id: "O-GOOD", lines: #"[{"line_no":1,"sku":"S-1","quantity":2}]"#)
        let bad = orderData(id: "O-TRU", lines: "[]", extra: #""gift":tru,"#)
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreMigrations.migrator.migrate(queue, upTo: "v10-plans-outlive-the-replica")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO station (id, station_id, epoch, created_at) VALUES (1, 'station-1', 1, 0)")
                for (id, data) in [("O-GOOD", good), ("O-TRU", bad)] {
                    try db.execute(
                        sql: "INSERT INTO orders (id, version, state, data, updated_at, lines_digest) VALUES (?, 4, 'assigned', ?, 0, 0)",
                        arguments: [id, data]
                    )
                }
                try db.execute(sql: "INSERT INTO skus (id, version, data) VALUES ('S-BAD', 2, '{\"id\":\"S-BAD\",\"name\":7}')")
            }
        }
        let store = try WaybillStore.open(atPath: path)
        #expect(try store.schemaVersion() == WaybillStore.latestSchemaVersion)
        #expect(try store.replicaRowsBreakingTheContract().isEmpty)
        #expect(try store.orderSummaries().map(\.id) == ["O-GOOD"], "listing orders works again")
        let order = try #require(try store.quarantined(entity: "order", id: "O-TRU"))
        #expect(order.version == 4 && order.data == bad, "\(order)")
        #expect(order.reason.hasPrefix("it breaks the contract (found when the database was upgraded)"), "\(order.reason)")
        #expect(try store.quarantined(entity: "sku", id: "S-BAD")?.version == 2)
        #expect(try store.replicaVersions(of: .sku).isEmpty)
    }
}
