import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillTestSupport

/// SIGKILL the agent at random moments while the autonomous mode packs and prints, restart it each
/// time: in the end every label was captured exactly once and every order shipped once at the hub.
extension AutopilotTests {
    /// Runs in `packaging/dev.sh long` (AUTOPILOT_CRASH_TEST=1), not in every CI run: 8 restarts of a real
    /// agent, hub and cupsd cost about 25 s. Inside the full suite it once caught a label printed twice:
    /// past cupsd's in-memory history, Get-Jobs lists old jobs without their names, so a label sent
    /// before the crash was not found by name and was sent again (fixed in `CupsClient.jobs`).
    @Test(
        .enabled(if: ProcessInfo.processInfo.environment["AUTOPILOT_CRASH_TEST"] != nil, "set AUTOPILOT_CRASH_TEST=1 (packaging/dev.sh long)")
    )
    func sigkillDuringABusyAutonomousRun_printsEachLabelOnce_andShipsEachOrderOnce() async throws {
        let station = try await AutonomousStation.start(orders: 60)
        defer { station.stop() }
        let store = try station.store()
        var generator = SystemRandomNumberGenerator()
        var delays: [Int] = []
        for run in 0..<8 {
            let agent = try station.startAgent(log: station.station.folder.file("agent-\(run).log"))
            defer { agent.kill() }
            try await agent.waitForLog("Agent started")
            if try Self.drained(station, store) { break }
            // Busy: this run printed a label (or, with nothing left to print, changed something else:
            // an order shipped, an operation pushed); then a random point of the run (a kill time,
            // not a synchronisation wait).
            let before = try Self.progress(station, store)
            try await agent.poll(timeout: .seconds(30), "run \(run) made no progress") {
                let now = try Self.progress(station, store)
                let drained = try Self.drained(station, store)
                return now.printed > before.printed || (now.open == 0 && now != before) || drained
            }
            let delay = Int.random(in: 0...1_500, using: &generator)
            delays.append(delay)
            try await Task.sleep(for: .milliseconds(delay))
            agent.kill()
        }
        let printedBeforeTheLastStart = try store.printJobCounts()[.printed] ?? 0
        let agent = try station.startAgent(log: station.station.folder.file("agent-final.log"))
        defer { agent.kill() }
        try await agent.poll(timeout: .seconds(60), "the restarted agent never shipped and confirmed every order") {
            try Self.drained(station, store)
        }
        let orders = try station.stationOrders(store)
        try await Self.expectEachLabelOnceAndEachOperationOnce(station, store, orders: orders)
        #expect(printedBeforeTheLastStart > 0, "the killed runs should have printed some labels")
        print("autopilot crash test: kills after \(delays) ms; \(printedBeforeTheLastStart) labels printed before the last start")
        #expect(agent.stop() == 0)
    }

    /// What moves while the autonomous mode works.
    struct Progress: Equatable {
        var printed: Int
        /// Jobs spooled, submitted or held.
        var open: Int
        var all: Int
        var shipped: Int
        var outboxDepth: Int
    }

    static func progress(_ station: AutonomousStation, _ store: WaybillStore) throws -> Progress {
        let jobs = try store.printJobCounts()
        return Progress(
            printed: jobs[.printed] ?? 0,
            open: (jobs[.spooled] ?? 0) + (jobs[.submitted] ?? 0) + (jobs[.held] ?? 0),
            all: jobs.values.reduce(0, +),
            shipped: try station.stationOrders(store).filter { $0.state == .shipped }.count,
            outboxDepth: try store.status().outboxDepth
        )
    }
}
