import Foundation
import GRDB
import Testing
import WaybillTestSupport

@testable import WaybillStore

/// `v18-unanswered-label-requests`: a purchase an older waybill sent without ever recording its label
/// is in doubt since its last request (the provider may have sold it; a refusal kept from an earlier
/// attempt says nothing of the last), so a look-up that finds none waits before buying again; a
/// purchase whose label is stored is not in doubt.
@Suite struct UnansweredLabelRequestsMigrationTests {
    @Test func purchasesWithoutALabel_areInDoubtSinceTheirLastRequest() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("station.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreMigrations.migrator.migrate(queue, upTo: "v17-replaced-box-documents")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO station (id, station_id, epoch, created_at) VALUES (1, 'station-1', 1, 0)")
                for (key, attempts, label, refused) in [
                    ("k-sent", 2, nil, nil), ("k-bought", 1, "SE-1", nil), ("k-refused", 1, nil, "invalid address"),
                ] as [(String, Int, String?, String?)] {
                    try db.execute(
                        sql: """
                            INSERT INTO label_attempts (purchase_key, provider, order_id, box_no, attempts, label_id, refused, updated_at)
                            VALUES (?, 'shipengine', 'O-1', 1, ?, ?, ?, 1000)
                            """,
                        arguments: [key, attempts, label, refused]
                    )
                }
            }
        }
        let store = try WaybillStore.open(atPath: path)
        #expect(try store.labelAttempt(key: "k-sent") == LabelAttemptState(attempts: 2, unansweredSince: Date(timeIntervalSince1970: 1000)))
        #expect(try store.labelAttempt(key: "k-bought")?.unansweredSince == nil)
        #expect(try store.labelAttempt(key: "k-refused")?.unansweredSince == Date(timeIntervalSince1970: 1000))
        #expect(try store.labelAttempt(key: "k-none") == nil)
    }
}
