import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillTestSupport

/// The agent is killed with SIGKILL at random moments while local work keeps being recorded; after
/// the last restart and a `sync --wait`, the hub's ledger holds every operation exactly once and the
/// replica equals the hub's view. `WAYBILL_CRASH_KILLS` raises the number of kills (the `--long` mode).
@Suite(.timeLimit(.minutes(60))) struct CrashTests {
    @Test func sigkillAtRandomMoments_losesNothingAndDuplicatesNothing() async throws {
        let kills = Int(ProcessInfo.processInfo.environment["WAYBILL_CRASH_KILLS"] ?? "") ?? 20
        let hubFolder = try TemporaryDirectory()
        // The hub runs as its own process, as in production, so the test's own threads never slow it down.
        let hub = try await HubProcess.start(databasePath: hubFolder.file("hub.sqlite"), orders: max(300, kills * 6))
        defer { hub.stop() }
        let (folder, config, storePath) = try ConfigFixture.stationConfig(
            hub: hub,
            hubFolder: hubFolder,
            extra: """
                sync:
                  poll_interval: 50ms
                  retry_base: 10ms
                  retry_cap: 200ms
                  request_timeout: 2s
                """
        )
        defer { withExtendedLifetime(folder) {} }

        let first = try await WaybillBinary.run(["sync", "--wait", "--timeout", "60", "--config", config])
        #expect(first.status == .exited(0), "\(first.standardError)")
        let store = try WaybillStore.open(atPath: storePath)
        var queue = try store.replicaVersions(of: .order).keys.sorted().filter { try store.order(id: $0)?.state == .assigned }
        var random = SeededRandom(seed: 2026)
        var recorded: [String] = []
        let steps: [(OrderState, OperationKind)] = [(.claimed, .claim), (.packed, .pack), (.labelled, .labelRequest), (.shipped, .ship)]

        for _ in 0..<kills {
            let waitForProgress = Bool.random(using: &random)
            try await runAgentUntilKilled(config: config) {
                // Record a random amount of local work, then the agent dies wherever it is: at once, or
                // as soon as it has confirmed some of it (mid-push or mid-pull).
                for _ in 0..<Int.random(in: 1...6, using: &random) where !queue.isEmpty {
                    let id = queue.removeFirst()
                    for (state, kind) in steps {
                        recorded.append(try store.recordSampleTransition(orderID: id, to: state, kind: kind).idempotencyKey)
                    }
                }
                if waitForProgress {
                    let depth = try store.status().outboxDepth
                    for _ in 0..<2000 where try store.status().outboxDepth >= depth {
                        try await Task.sleep(for: .milliseconds(1))
                    }
                }
            }
        }

        let last = try await WaybillBinary.run(["sync", "--wait", "--timeout", "120", "--config", config])
        #expect(last.status == .exited(0), "\(last.standardOutput) \(last.standardError)")
        let ledger = try await hub.ledger().filter { $0.stationID == "station-1" }
        print("crash test: \(kills) kills, \(recorded.count) operations, \(ledger.count) ledger entries")
        var counts: [String: Int] = [:]
        for entry in ledger { counts[entry.idempotencyKey, default: 0] += 1 }
        #expect(recorded.count >= kills * 4)
        #expect(Set(recorded) == Set(counts.keys), "every recorded operation reached the hub, and nothing else did")
        #expect(counts.values.allSatisfy { $0 == 1 }, "an operation took effect twice")
        #expect(try store.status().outboxDepth == 0)
        #expect(try store.replicaVersions(of: .order) == (try await hub.view(station: "station-1")))
    }

    /// Starts the agent, waits for its start-up line, runs `work`, then kills it with SIGKILL.
    private func runAgentUntilKilled(config: String, work: () async throws -> Void) async throws {
        let agent = try AgentProcess.start(config: config)
        defer { agent.kill() }
        try await agent.waitForLog("Agent started")
        try await work()
        agent.kill()
    }
}
