import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillTestSupport

/// `waybill resync` while the agent runs: the CLI asks the agent over its control socket, the agent
/// pauses at a safe point, resets, downloads again and resumes, and the CLI prints its steps.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ForcedResyncTests {
    /// In the middle of an autonomous run with printing, with pushes slowed so work is in flight:
    /// nothing is lost, nothing prints twice, every order ships with all its labels.
    @Test func aForcedResyncDuringAnAutonomousRun_losesNothing_andPrintsNothingTwice() async throws {
        let station = try await AutonomousStation.start(orders: 120, faults: "ops:latency:0.5:300,seed=4")
        defer { station.stop() }
        let agent = try station.startAgent()
        defer { agent.kill() }
        try await agent.waitForLog("Agent started")
        let store = try station.store()
        try await agent.poll(timeout: .seconds(60), "the station never shipped 10 orders") {
            try station.stationOrders(store).filter { $0.state == .shipped }.count >= 10
        }
        let before = try station.stationOrders(store)
        #expect(before.contains { $0.state != .shipped }, "the run was over before the resync: nothing was in flight")

        let resync = try await station.waybill(["resync", "--mode", "recover", "--yes"])
        #expect(resync.status == .exited(0), "\(resync.standardOutput) \(resync.standardError)")
        #expect(resync.standardOutput.contains("reset: epoch 2"), "\(resync.standardOutput)")
        #expect(resync.standardOutput.contains("done:"), "\(resync.standardOutput)")
        #expect(try store.storedIdentity()?.epoch == 2)
        #expect(agent.log.contains("Forced resync: replica reset"))

        do {
            try await agent.poll(timeout: .seconds(90), "not every order shipped and confirmed after the resync") {
                try AutopilotTests.drained(station, store)
            }
        } catch {
            let states = try station.stationOrders(store).reduce(into: [String: Int]()) { $0["\($1.state)", default: 0] += 1 }
            let status = try store.status()
            Issue.record("\(error): orders \(states), outbox \(status.outboxDepth), print jobs \(status.printJobs), log:\n\(agent.log.suffix(3000))")
            throw error
        }
        let orders = try station.stationOrders(store)
        #expect(Set(orders.map(\.id)).isSuperset(of: before.map(\.id)), "an order of the station was lost by the reset")
        try await AutopilotTests.expectEachLabelOnceAndEachOperationOnce(station, store, orders: orders)
        // The last confirmed operations bump the hub's versions; the replica has them after its next pull.
        try await agent.poll("the replica never caught up with the hub's view of the station") {
            try store.replicaVersions(of: .order) == (try await station.station.hub.view(station: "station-1"))
        }
        #expect(agent.stop() == 0)
    }

    /// Discard through the running agent: the dropped operations are exported first, beside the database.
    @Test func aForcedDiscardWhileTheAgentRuns_exportsWhatItDrops() async throws {
        let station = try await AutonomousStation.start(orders: 40)
        defer { station.stop() }
        #expect(try await station.waybill(["auto", "pause"]).status == .exited(0))
        let agent = try station.startAgent()
        defer { agent.kill() }
        try await agent.waitForLog("Agent started")
        #expect(try await station.waybill(["sync", "--wait"]).status == .exited(0))
        // The claim is recorded while the hub refuses every push, and stays unconfirmed through the reset.
        try await station.station.hub.setFaults("ops:503:1")
        let store = try station.store()
        let id = try #require(try station.stationOrders(store).first { $0.state == .assigned }?.id)
        let claim = try store.recordOrderTransition(orderID: id, to: .claimed, kind: .claim)

        let resync = try await station.waybill(["resync", "--mode", "discard", "--yes"])
        try await station.station.hub.setFaults("")
        #expect(resync.status == .exited(0), "\(resync.standardOutput) \(resync.standardError)")
        let folder = URL(fileURLWithPath: station.station.storePath).deletingLastPathComponent().path
        let export = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasPrefix("unconfirmed-") })
        #expect(resync.standardOutput.contains(export), "\(resync.standardOutput)")
        let exported = try JSONDecoder().decode([OutboxOperation].self, from: Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(export)")))
        #expect(exported.map(\.idempotencyKey).contains(claim.idempotencyKey))
        #expect(try await station.ledger().allSatisfy { $0.idempotencyKey != claim.idempotencyKey }, "a discarded claim reached the hub")
        #expect(try store.status().outboxDepth == 0)
        #expect(agent.stop() == 0)
    }
}
