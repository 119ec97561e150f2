import Foundation
import Testing
import WaybillCore
import WaybillTestSupport

@testable import WaybillStore

/// The write-ahead log is checkpointed in the background once writes pause, never inside a commit.
@Suite struct CheckpointTests {
    /// 4,000 orders of about 5 KiB: some 2,500 pages of 8 KiB, past SQLite's own autocheckpoint threshold of 1,000.
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

    @Test func pulledPagesPastForcedPages_stillWaitForAPause() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("station.sqlite")
        let store = try WaybillStore.open(atPath: path, checkpoints: CheckpointPolicy(idle: .seconds(3600), forcedPages: 50))
        _ = try store.identity(for: StationID(rawValue: "station-1")!)
        try store.checkpoint()  // the migrations' log, past 50 pages, is out of the way
        let before = Self.fileSize(path)
        _ = try store.applyPulledBatch(Self.page, cursor: "1.4000")
        #expect(Self.fileSize(path) == before, "a resync's log is not copied while its pages stream in")
    }

    @Test func aPulledPagesLog_isWrittenToDiskWhileItStreamsIn_withoutACheckpoint() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("station.sqlite")
        let flushing = try WaybillStore.open(atPath: path, checkpoints: CheckpointPolicy(idle: .seconds(3600), flushAfterPages: 512))
        _ = try flushing.identity(for: StationID(rawValue: "station-1")!)
        try flushing.checkpoint()
        let before = Self.fileSize(path)
        _ = try flushing.applyPulledBatch(Self.page, cursor: "1.4000")  // some 2,500 pages of log
        let deadline = ContinuousClock.now + .seconds(30)
        while flushing.backgroundLogFlushes == 0 {
            try #require(ContinuousClock.now < deadline, "the log was not flushed within 30 s")
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(Self.fileSize(path) == before, "flushed, not checkpointed: the pages are still only in the log")

        // Local work (each commit synced by itself) leaves nothing to flush: neither alone, nor
        // once the pulled pages before it have stopped coming.
        let other = folder.file("local.sqlite")
        let local = try WaybillStore.open(atPath: other, checkpoints: CheckpointPolicy(idle: .milliseconds(20), flushAfterPages: 1))
        _ = try local.identity(for: StationID(rawValue: "station-1")!)
        _ = try local.upsertOrder(ReplicaOrder(id: "L-1", version: 1, state: .assigned, data: "{}"))
        try await Self.waitUntilCheckpointed(other, holding: 100_000)  // the migrations' tables and indexes
        #expect(local.backgroundLogFlushes == 0)
        try local.checkpoint()
        let base = Self.fileSize(other)
        _ = try local.applyPulledBatch(Array(Self.page.prefix(100)), cursor: "1.100")  // some 500 KB
        try await Self.waitUntilCheckpointed(other, holding: base + 400_000)  // the pull stopped a pause ago
        let afterThePull = local.backgroundLogFlushes
        let note = String(repeating: "y", count: 20_000)
        for index in 0..<40 {
            _ = try local.upsertOrder(ReplicaOrder(id: "L-\(index)", version: 2, state: .assigned, data: "{\"note\":\"\(note)\"}"))
        }
        try await Self.waitUntilCheckpointed(other, holding: base + 1_100_000)
        #expect(local.backgroundLogFlushes == afterThePull)
    }

    @Test func localWorkPastForcedPages_isCheckpointedWithoutWaitingForAPause() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("station.sqlite")
        let store = try WaybillStore.open(atPath: path, checkpoints: CheckpointPolicy(idle: .seconds(3600), forcedPages: 50))
        _ = try store.identity(for: StationID(rawValue: "station-1")!)
        // About 1.2 MiB of local writes, one commit each: some 80 pages of log.
        let note = String(repeating: "y", count: 20_000)
        for index in 0..<60 {
            _ = try store.upsertOrder(ReplicaOrder(id: "L-\(index)", version: 1, state: .assigned, data: "{\"note\":\"\(note)\"}"))
        }
        try await Self.waitUntilCheckpointed(path, holding: 1_000_000)
    }

    /// Waits until the database file holds `bytes` (polled; at most 30 s).
    static func waitUntilCheckpointed(_ path: String, holding bytes: Int = 16_000_000) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while fileSize(path) < bytes {
            try #require(ContinuousClock.now < deadline, "the log was not checkpointed into the database file within 30 s")
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
