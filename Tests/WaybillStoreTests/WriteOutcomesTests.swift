import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillTestSupport

/// "Database writes failing" comes from what the station's real writes meet: a database on a file
/// system that fills up records the first failure and its SQLite error, and the next write that
/// goes through once space is back clears it.
@Suite(.serialized) struct WriteOutcomesTests {
    @Test(.enabled(if: SmallFileSystem.mountingAllowed, "mounting a tmpfs is not allowed here: this test needs root (or CAP_SYS_ADMIN)"))
    func writesOnAFullDisk_areRecordedAsFailing_andTheNextWriteThatGoesThroughClearsIt() throws {
        let folder = try TemporaryDirectory()
        let disk = try SmallFileSystem(at: folder.path, megabytes: 16)
        defer { disk.unmount() }
        let store = try WaybillStore.open(atPath: folder.file("station.sqlite"), checkpoints: CheckpointPolicy(idle: .seconds(3600)))
        _ = try store.identity(for: StationID(rawValue: "station-1")!)
        #expect(store.writeFailure == nil)

        try disk.fill(leaving: 0)
        let before = Date()
        var failure: (any Error)?
        for round in 0..<200 where failure == nil {
            do {
                let page = (0..<20).map { index in
                    PulledChange(
                        entity: "order",
                        id: "O-\(round)-\(index)",
                        version: 1,
                        op: "upsert",
                        data: "{\"state\":\"assigned\",\"note\":\"\(String(repeating: "x", count: 5000))\",\"lines\":[]}",
                        fields: ["state": "assigned"]
                    )
                }
                _ = try store.applyPulledBatch(page, cursor: "1.\(round)")
            } catch {
                failure = error
            }
        }
        #expect(failure != nil, "200 pages of 100 KiB fit on a full 16 MiB disk")
        let recorded = try #require(store.writeFailure)
        #expect(recorded.message.contains("database or disk is full"), "\(recorded.message)")
        #expect(recorded.since >= before.addingTimeInterval(-1))
        #expect(try store.status().outboxDepth == 0, "reads still work")

        disk.freeAll()
        try store.probeWrite()
        #expect(store.writeFailure == nil, "the next write that goes through clears it")
    }
}
