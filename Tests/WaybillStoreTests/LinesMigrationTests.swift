import GRDB
import Testing
import WaybillCore
import WaybillTestSupport

@testable import WaybillStore

/// `v3-lines-in-data`: a replica made before it keeps telling a central edit of lines from a repeat.
@Suite struct LinesMigrationTests {
    @Test func digestsOfExistingOrders_matchTheDigestOfTheSameLinesPulledLater() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("station.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreMigrations.migrator.migrate(queue, upTo: "v2-sync")
            try queue.write { db in
                // Data a later check finds whole (`v11` quarantines orders that break the contract).
                let data = ["O-1", "O-2"].map { orderData(id: $0, lines: "[]") }
                try db.execute(
                    sql: """
                        INSERT INTO orders (id, version, state, data, updated_at) VALUES ('O-1', 1, 'assigned', ?, 0), ('O-2', 1, 'assigned', ?, 0);
                        INSERT INTO order_lines (order_id, line_no, sku_id, quantity) VALUES ('O-1', 2, 'B', 10), ('O-1', 1, 'A', 2);
                        """,
                    arguments: [data[0], data[1]]
                )
            }
        }
        let store = try WaybillStore.open(atPath: path)
        #expect(try store.schemaVersion() == WaybillStore.latestSchemaVersion)
        let digests = try store.read("read digests") { db in
            try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, lines_digest FROM orders").map {
                    ($0["id"] as String, $0["lines_digest"] as Int64)
                }
            )
        }
        #expect(digests["O-1"] == OrderLinesDigest([(sku: "A", quantity: 2), (sku: "B", quantity: 10)]).storedValue)
        #expect(digests["O-2"] == OrderLinesDigest().storedValue)
        #expect(try store.read("tables") { try $0.tableExists("order_lines") } == false)
    }
}
