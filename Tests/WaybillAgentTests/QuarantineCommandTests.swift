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

    /// `waybill quarantine retry`: a change an older waybill refused but this one reads applies and
    /// leaves the quarantine; one still invalid stays with its reason (exit 3); one whose data the
    /// quarantine kept only in part says to resync.
    @Test func retry_appliesWhatNowPasses_andKeepsWhatStillFails() async throws {
        let fixture = try ConfigFixture()
        let store = try WaybillStore.open(atPath: fixture.folder.file("db/waybill.sqlite"))
        _ = try store.identity(for: StationID(rawValue: "station-7")!)
        let good = orderData(id: "O-OLD", lines: #"[{"line_no":1,"sku":"S-1","quantity":2}]"#, extra: #""station_id":"station-7","#)
        let refusedBefore = PulledChange(entity: "order", id: "O-OLD", version: 3, op: "upsert", data: good, problem: "an older waybill's reason")
        let stillBad = PulledChange(
            entity: "order",
            id: "O-BAD",
            version: 2,
            op: "upsert",
            data: orderData(id: "O-BAD", lines: "[]", extra: #""x":tru,"#),
            problem: "old"
        )
        let long = PulledChange(
            entity: "order",
            id: "O-LONG",
            version: 1,
            op: "upsert",
            data: orderData(id: "O-LONG", lines: "[]", extra: "\"note\":\"\(String(repeating: "x", count: 20_000))\","),
            problem: "old"
        )
        #expect(try store.applyPulledBatch([refusedBefore, stillBad, long], cursor: "1.3").quarantined == 3)

        let one = try await WaybillBinary.run(["quarantine", "retry", "order", "O-OLD", "--config", fixture.configPath])
        #expect(one.status == .exited(0), "\(one.standardOutput)\(one.standardError)")
        #expect(one.standardOutput.contains("order O-OLD v3  passes") && one.standardOutput.contains("1 applied"), "\(one.standardOutput)")
        #expect(try store.order(id: "O-OLD")?.lines.first?.quantity == 2, "applied to the replica")
        #expect(try store.quarantined(entity: "order", id: "O-OLD") == nil)
        #expect(try store.cursor() == "1.3", "a retry moves no cursor")

        let all = try await WaybillBinary.run(["quarantine", "retry", "--all", "--config", fixture.configPath])
        #expect(all.status == .exited(3), "\(all.standardOutput)")
        #expect(all.standardOutput.contains("order O-BAD v2  stays: its data is not valid JSON (an invalid literal"), "\(all.standardOutput)")
        #expect(all.standardOutput.contains("order O-LONG v1  stays: its data is longer than the quarantine keeps; `waybill resync`"))
        #expect(try store.quarantined(entity: "order", id: "O-BAD")?.reason.contains("an invalid literal") == true, "the reason is today's")
        #expect(try store.quarantined().count == 2)

        let neither = try await WaybillBinary.run(["quarantine", "retry", "--config", fixture.configPath])
        #expect(neither.status != .exited(0) && neither.standardError.contains("name one change (ENTITY ID) or use --all"))
    }
}
