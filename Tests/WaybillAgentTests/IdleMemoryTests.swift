import Testing
import WaybillStore
import WaybillTestSupport

@testable import WaybillAgent
@testable import WaybillSync

@Suite struct IdleMemoryTests {
    /// A cycle that read the feed to its end and found the outbox empty; `applied` changes pulled.
    static func settled(applied: Int = 0, sent: Int = 0) -> SyncEngine.CycleReport {
        var report = SyncEngine.CycleReport()
        var pulled = PullEngine.Report()
        pulled.caughtUp = true
        pulled.outcome.applied = applied
        report.pulled = pulled
        var pushed = PushEngine.Report()
        pushed.drained = true
        pushed.sent = sent
        report.pushed = pushed
        return report
    }

    /// Whether each cycle in turn released memory.
    static func releases(_ cycles: [SyncEngine.CycleReport]) -> [Bool] {
        var memory = IdleMemory()
        return cycles.map { memory.shouldRelease(after: $0) }
    }

    @Test func memoryIsReleasedOnceWhenTheAgentGoesIdle_afterStartUpAndAfterEachBurstOfWork() {
        // The first full pull is work; the first idle poll releases; later idle polls have nothing
        // to give back until the next work.
        let cycles = [Self.settled(applied: 200), Self.settled(), Self.settled(), Self.settled(sent: 3), Self.settled()]
        #expect(Self.releases(cycles) == [false, true, false, false, true])
    }

    @Test func aFailedOrUnsettledCycle_waitsForASettledOne() {
        var failed = Self.settled()
        failed.error = SyncError(.transport, "hub down")
        var behind = Self.settled()
        behind.pulled?.caughtUp = false
        #expect(Self.releases([failed, behind, Self.settled()]) == [false, false, true])
    }

    @Test func aReleasedStoreStillReadsAndWrites() throws {
        let folder = try TemporaryDirectory()
        let store = try WaybillStore.open(atPath: folder.file("station.sqlite"))
        let before = try store.orderCounts()
        var memory = IdleMemory()
        let released = memory.cycleEnded(Self.settled(), store: store)
        #expect(released)
        #expect(try store.orderCounts() == before)
        #expect(try store.schemaVersion() == WaybillStore.latestSchemaVersion)
        try store.checkpoint()
    }
}
