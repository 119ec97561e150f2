import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillTestSupport

/// `waybill quarantine list|show`: an admin sees which pulled changes were kept out of the replica,
/// why, and the data they came with, escaped for the terminal.
@Suite(.timeLimit(.minutes(5))) struct QuarantineCommandTests {
    @Test func list_andShow_giveTheReasonAndTheData() async throws {
        let fixture = try ConfigFixture()
        let store = try WaybillStore.open(atPath: fixture.folder.file("db/waybill.sqlite"))
        _ = try store.identity(for: StationID(rawValue: "station-7")!)
        let bad = PulledChange(entity: "order", id: "O-9", version: 4, op: "upsert", data: "{\"note\":\"a\u{1B}[2Jb\"}", problem: "a test reason")
        #expect(try store.applyPulledBatch([bad], cursor: "1.2").quarantined == 1)

        let list = try await WaybillBinary.run(["quarantine", "list", "--config", fixture.configPath])
        #expect(list.status == .exited(0), "\(list.standardError)")
        #expect(list.standardOutput.contains("order O-9 v4  a test reason"), "\(list.standardOutput)")
        let show = try await WaybillBinary.run(["quarantine", "show", "order", "O-9", "--config", fixture.configPath])
        #expect(show.standardOutput.contains("\\u{1b}[2J"), "the escape reaches the terminal escaped: \(show.standardOutput)")
        #expect(!show.standardOutput.contains("\u{1B}"))
        let json = try await WaybillBinary.run(["quarantine", "list", "--json", "--config", fixture.configPath])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [[String: Any]])
        #expect(rows.first?["reason"] as? String == "a test reason")
        let missing = try await WaybillBinary.run(["quarantine", "show", "order", "O-1", "--config", fixture.configPath])
        #expect(missing.status != .exited(0) && missing.standardError.contains("no order O-1 is quarantined"))
    }
}
