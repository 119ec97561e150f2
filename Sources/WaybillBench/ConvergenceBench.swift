import ArgumentParser
import Foundation
import WaybillCore
import WaybillHTTP
import WaybillStore
import WaybillTestSupport

/// `waybill-bench convergence`: how long a station takes to confirm its backlog once the central
/// API's faults stop, with the agent's own retry policy (1 s base, 5 min cap) and nothing reset by
/// hand. Peer: the same second half drained from a hub that never faulted, measured in the same run.
struct ConvergenceBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convergence",
        abstract: "Time to converge once hub faults stop, 2,000 operations, faults on for the first half (floor: 10 s)."
    )

    @Option(help: "Orders of the station; each makes four operations (claim, pack, label request, ship).") var orders = 500
    @Option(help: "Operations per push request.") var batch = 8
    @Option(help: "The hub's fault spec for the first half (hangs outlast the 5 s request timeout).")
    var faults = "changes:duplicates:0.15,changes:drift:0.15,mixed:0.3:100,hang=6000,bucket=20/10,seed=11"
    @Option(help: "Rounds of each kind, taken in turn.") var rounds = 3

    func run() async throws {
        var calm: [Duration] = []
        var faulted: [Duration] = []
        for round in 1...rounds {
            calm.append(try await drainSecondHalf(faults: ""))
            faulted.append(try await drainSecondHalf(faults: faults))
            print("round \(round): no faults \(seconds(calm.last!)), after faults \(seconds(faulted.last!))")
        }
        let calmBest = calm.min()!, faultedWorst = faulted.max()!
        print(
            "convergence of \(orders * 2) operations after the faults stopped: \(seconds(faulted.min()!))–\(seconds(faultedWorst)) "
                + "(no faults: \(seconds(calmBest))–\(seconds(calm.max()!))), the worst is x\(String(format: "%.2f", faultedWorst / calmBest)) "
                + "the best calm drain (floor: 10 s)"
        )
    }

    /// Records the operations, drains the first half under `faults`, stops them and times the rest;
    /// without faults, times the second half recorded once the first is confirmed.
    private func drainSecondHalf(faults: String) async throws -> Duration {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"), orders: orders * 5 / 2)
        let station = try SyncHarness(hub: hub, requestTimeout: .seconds(5), retry: RetryPolicy(), pushBatchSize: batch)
        try await station.settle()
        let own = try station.ownOrders(orders)
        guard own.count == orders else { throw BenchError("the hub seeded \(own.count) orders for the station, not \(orders)") }
        if faults.isEmpty {
            // The peer: the first half confirmed, then the second half recorded and drained.
            try station.recordLifecycles(of: own, steps: SyncHarness.lifecycle.prefix(2))
            try await station.settle(timeout: .seconds(600))
            try station.recordLifecycles(of: own, steps: SyncHarness.lifecycle.suffix(2))
        } else {
            try await hub.setFaults(faults)
            try station.recordLifecycles(of: own)
            try await station.drive(timeout: .seconds(600)) { _ in try station.store.status().outboxDepth <= orders * 2 }
            try await hub.setFaults("")
        }
        let start = ContinuousClock.now
        try await station.settle(timeout: .seconds(600))
        let elapsed = ContinuousClock.now - start
        await hub.stop()
        return elapsed
    }

    private func seconds(_ duration: Duration) -> String { String(format: "%.2f s", duration.seconds) }
}
