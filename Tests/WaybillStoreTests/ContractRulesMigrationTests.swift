import Foundation
import GRDB
import Testing
import WaybillCore
import WaybillTestSupport

@testable import WaybillStore

/// `v19-quarantine-rows-breaking-the-contract`: a replica that a build before the contract's rules
/// let rows into that decode yet break them (a rate table dividing by zero, which crashed the
/// planner at every start; an order in zone 9; a barcode with a wrong check digit; a label for box
/// 0) opens with those rows in the quarantine, their reasons and data kept, and every sound row
/// where it was. An order the station worked on stays, named by `waybill doctor`.
@Suite struct ContractRulesMigrationTests {
    /// A rate table of one service priced in every zone, with `divisor` as its `dim_divisor`.
    static func rateTable(divisor: Double) -> String {
        let zones = (2...8).map { #""\#($0)": 10.0"# }.joined(separator: ",")
        return #"{"services":[{"code":"G","dim_divisor":\#(divisor),"dim_threshold_cuin":0.0,"dim_rounding":"nearest","max_weight_lb":150,"#
            + #""max_length_in":108,"max_length_girth_in":165,"base":{\#(zones)},"per_lb":{\#(zones)},"curvature":0.97,"#
            + #""residential_fee":5.55,"fuel_pct":0.155,"ah_dims_fee":28.0,"ah_weight_fee":45.0,"large_pkg_fee":210.0,"#
            + #""large_pkg_min_billable":90,"nonstd_len_22_fee":0.0,"nonstd_len_30_fee":0.0,"nonstd_vol_2cuft_fee":0.0}]}"#
    }

    static func label(_ id: String, boxNo: Int) -> String {
        #"{"label_id":"\#(id)","order_id":"O-GOOD","box_no":\#(boxNo),"carrier":"SIM","service":"G","tracking_number":"1Z","#
            + #""cost":9.5,"format":"zpl","zpl":"^XA^FDx^FS^XZ"}"#
    }

    /// An order in zone 9.
    static let worked = orderData(id: "O-WORKED", lines: #"[{"line_no":1,"sku":"S-1","quantity":2}]"#)
        .replacingOccurrences(of: #""zones":{"A":4}"#, with: #""zones":{"A":9}"#)

    /// Bad orders the check at rest lets stay: the feed parser refuses them by a limit of its
    /// grammar (a string's length) that SQLite and the decoder do not have and the contract's rules
    /// do not repeat. Such a row reads and plans as any other.
    static let caughtOnlyByTheGrammar: Set = ["O-LONG"]

    @Test func rowsThatDecodeButBreakTheRules_moveToTheQuarantine_andTheRestStays() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("station.sqlite")
        let good = orderData(id: "O-GOOD", lines: #"[{"line_no":1,"sku":"S-1","quantity":2}]"#)
        let badOrders = BadCentralChanges.orders.filter { !Self.caughtOnlyByTheGrammar.contains($0.id) }
        let goodSKU = try PulledChange.sampleSKU("S-1", barcode: "036000291452")
        let badSKU = try PulledChange.sampleSKU("S-BADCODE", barcode: "036000291453")
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreMigrations.migrator.migrate(queue, upTo: "v18-unanswered-label-requests")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO station (id, station_id, epoch, created_at) VALUES (1, 'station-1', 1, 0)")
                for (id, data) in [("O-GOOD", good)] + badOrders.map({ ($0.id, $0.data) }) {
                    try db.execute(
                        sql: "INSERT INTO orders (id, version, state, data, updated_at, lines_digest) VALUES (?, 3, 'assigned', ?, 0, 0)",
                        arguments: [id, data]
                    )
                }
                for sku in [goodSKU, badSKU] {
                    try db.execute(sql: "INSERT INTO skus (id, version, data) VALUES (?, 1, ?)", arguments: [sku.id, sku.data])
                }
                try db.execute(sql: "INSERT INTO rate_tables (id, version, data) VALUES ('rates', 5, ?)", arguments: [Self.rateTable(divisor: 0)])
                // An order the station has worked on (a box label recorded), which breaks a rule too.
                try db.execute(
                    sql: "INSERT INTO orders (id, version, state, data, updated_at, lines_digest) VALUES ('O-WORKED', 3, 'packed', ?, 0, 0)",
                    arguments: [Self.worked]
                )
                try db.execute(
                    sql: """
                        INSERT INTO labels (id, order_id, box_no, kind, format, created_at)
                        VALUES ('BX-O-WORKED-1', 'O-WORKED', 1, 'box', 'zpl', 0)
                        """
                )
                // A newer version of a bad order, quarantined by a build between.
                try db.execute(
                    sql: """
                        INSERT INTO quarantine (entity, entity_id, version, op, data, reason, received_at)
                        VALUES ('order', 'O-ZERO', 7, 'upsert', '{}', 'newer', 0)
                        """
                )
                for (id, boxNo) in [("L-GOOD", 1), ("L-BOX0", 0)] {
                    try db.execute(
                        sql: "INSERT INTO carrier_labels (id, version, order_id, data) VALUES (?, 1, 'O-GOOD', ?)",
                        arguments: [id, Self.label(id, boxNo: boxNo)]
                    )
                }
            }
        }
        let store = try WaybillStore.open(atPath: path)
        #expect(try store.schemaVersion() == WaybillStore.latestSchemaVersion)
        // The worked-on order stays, with its label, and the doctor's check names it.
        #expect(try store.replicaRowsBreakingTheContract().map(\.id) == ["O-WORKED"])
        #expect(try store.orderSummaries().map(\.id).sorted() == ["O-GOOD", "O-WORKED"])
        #expect(try store.orderLabels(orderID: "O-WORKED").map(\.labelID) == ["BX-O-WORKED-1"])
        #expect(try store.quarantined(entity: "order", id: "O-WORKED") == nil)
        let newer = try #require(try store.quarantined(entity: "order", id: "O-ZERO"))
        #expect(newer.version == 7 && newer.reason == "newer", "the newer quarantined version keeps its place")
        for bad in badOrders where bad.id != "O-ZERO" {
            let kept = try #require(try store.quarantined(entity: "order", id: bad.id), "\(bad.id)")
            #expect(kept.version == 3 && kept.data == bad.data, "\(bad.id)")
            #expect(kept.reason.hasPrefix("it breaks the contract (found when the database was upgraded)"), "\(bad.id): \(kept.reason)")
        }
        #expect(try store.replicaVersions(of: .sku).keys.sorted() == ["S-1"])
        #expect(try store.quarantined(entity: "sku", id: "S-BADCODE")?.reason.contains("valid check digit") == true)
        #expect(try store.replicaVersions(of: .rateTable).isEmpty, "the table that divided by zero is gone")
        let rates = try #require(try store.quarantined(entity: "rate_table", id: "rates"))
        #expect(rates.version == 5 && rates.reason.contains("dim_divisor 0.0 is outside"), "\(rates.reason)")
        #expect(try store.replicaVersions(of: .label).keys.sorted() == ["L-GOOD"])
        #expect(try store.quarantined(entity: "label", id: "L-BOX0")?.reason.contains("box_no 0 must be 1 or more") == true)
    }

    /// The check at rest (SQLite's reading, the contract's type and rules) and the parser's limits
    /// on the grammar between them refuse every bad order the station's edge knows: the list above
    /// names all the check at rest misses.
    @Test func theCheckAtRest_findsEveryBadOrderButThoseOfTheGrammarsLimits() throws {
        let (folder, store) = try WaybillStore.fixture()
        try DatabaseQueue(path: folder.file("station.sqlite")).write { db in
            for bad in BadCentralChanges.orders {
                try db.execute(
                    sql: "INSERT INTO orders (id, version, state, data, updated_at, lines_digest) VALUES (?, 1, 'assigned', ?, 0, 0)",
                    arguments: [bad.id, bad.data]
                )
            }
        }
        let found = Set(try store.replicaRowsBreakingTheContract(limit: 100).map(\.id))
        #expect(Set(BadCentralChanges.orders.map(\.id)).subtracting(found) == Self.caughtOnlyByTheGrammar)
    }
}
