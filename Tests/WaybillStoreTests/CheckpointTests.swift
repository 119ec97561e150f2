import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillTestSupport

/// The write-ahead log is checkpointed in the background once writes pause, never inside a commit.
@Suite struct CheckpointTests {
    /// 4,000 orders of about 5 KiB: some 1,300 pages of 16 KiB, past SQLite's own autocheckpoint threshold of 1,000.
    static let page: [PulledChange] = (0..<4000).map { index in
        let data = "{\"state\":\"assigned\",\"note\":\"\(String(repeating: "x", count: 5000))\",\"lines\":[]}"
        return PulledChange(entity: "order", id: "O-\(index)", version: 1, op: "upsert", data: data, fields: ["state": "assigned"])
    }

    static func fileSize(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    @Test func aLargePulledPage_commitsWithoutCopyingTheLogIntoTheDatabase() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("station.sqlite")
        let store = try WaybillStore.open(atPath: path, checkpoints: CheckpointPolicy(idle: .seconds(3600)))
        _ = try store.identity(for: StationID(rawValue: "station-1")!)
        let before = Self.fileSize(path)
        _ = try store.applyPulledBatch(Self.page, cursor: "1.4000")
        #expect(Self.fileSize(path + "-wal") > 16_000_000, "the page is in the log")
        #expect(Self.fileSize(path) == before, "and the commit did not copy it into the database file")
        #expect(try store.replicaVersions(of: .order).count == 4000)
    }

    @Test func theLogIsCheckpointed_onceWritesPause() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("station.sqlite")
        let store = try WaybillStore.open(atPath: path, checkpoints: CheckpointPolicy(idle: .milliseconds(20)))
        _ = try store.identity(for: StationID(rawValue: "station-1")!)
        _ = try store.applyPulledBatch(Self.page, cursor: "1.4000")
        try await Self.waitUntilCheckpointed(path)
        // Another connection sees every order in the database file.
        #expect(try WaybillStore.open(atPath: path).replicaVersions(of: .order).count == 4000)
    }

    @Test func aLogPastForcedPages_isCheckpointedWithoutWaitingForAPause() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("station.sqlite")
        let store = try WaybillStore.open(atPath: path, checkpoints: CheckpointPolicy(idle: .seconds(3600), forcedPages: 500))
        _ = try store.identity(for: StationID(rawValue: "station-1")!)
        _ = try store.applyPulledBatch(Self.page, cursor: "1.4000")
        try await Self.waitUntilCheckpointed(path)
    }

    /// Waits until the database file holds the page (polled; at most 30 s).
    static func waitUntilCheckpointed(_ path: String) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while fileSize(path) < 16_000_000 {
            try #require(ContinuousClock.now < deadline, "the log was not checkpointed into the database file within 30 s")
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
