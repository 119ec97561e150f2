import Foundation
import Testing
import WaybillStore
import WaybillSync
import WaybillTestSupport

/// A central API that answers but keeps serving a changes page nobody can read blocks the feed: the
/// station says so (with the cursor and the reason), not "offline", and says it no longer once the
/// page reads again.
@Suite(.timeLimit(.minutes(5))) struct FeedBlockedTests {
    @Test func aPageThatNeverReads_blocksTheFeed_andSaysWhere_thenClears() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"), orders: 20, faults: "changes:truncate:1")
        let station = try SyncHarness(hub: hub)
        var reports: [SyncEngine.CycleReport] = []
        for _ in 0..<3 { reports.append(await station.engine.cycle()) }
        #expect(reports.allSatisfy { $0.error?.code == .feedUnreadable }, "\(reports.map { String(describing: $0.error) })")
        let blocked = try station.store.syncState()
        #expect(blocked[.feedBlocked]?.hasPrefix("at cursor the start: the changes page is not valid JSON") == true, "\(blocked)")
        #expect(blocked[.connectivity] == "online", "the hub answers: the station is not offline")

        // The central system fixes the page: the next pull reads it and the block is gone.
        #expect(try await hub.send("DELETE", "/admin/faults").status == 200)
        try await station.settle()
        let cleared = try station.store.syncState()
        #expect(cleared[.feedBlocked] == nil)
        #expect(try station.store.replicaVersions(of: .order).count > 0)
        await hub.stop()
    }
}
