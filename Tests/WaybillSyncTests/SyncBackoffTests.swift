import Foundation
import Testing
import WaybillCore
import WaybillHTTP
import WaybillTestSupport

/// How long a station waits after a failed cycle, with the agent's own retry policy.
@Suite(.timeLimit(.minutes(3))) struct SyncBackoffTests {
    /// A flaky central API that still confirms work: each cycle pushes batches until one fails. The
    /// next cycle comes within the first backoff step (1 s), not after a ceiling doubled per failed
    /// cycle, which reached the 5 min cap while most requests went through.
    @Test func aCycleThatConfirmedWorkBeforeItFailed_retriesWithinTheFirstBackoffStep() async throws {
        let hubFolder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: hubFolder.file("hub.sqlite"), orders: 200)
        let policy = RetryPolicy()
        let station = try SyncHarness(hub: hub, retry: policy, pushBatchSize: 4)
        try await station.settle()
        try station.recordLifecycles(of: try station.ownOrders(60), steps: SyncHarness.lifecycle.prefix(2))
        try await hub.setFaults("ops:500:0.25,seed=3")

        var depth = try station.store.status().outboxDepth
        var waits: [Duration] = []
        try await station.drive(timeout: .seconds(120)) { report in
            let now = try station.store.status().outboxDepth
            if report.error != nil, now < depth, let wait = report.retryIn { waits.append(wait) }
            depth = now
            return now == 0
        }
        await hub.stop()

        #expect(waits.count >= 3, "too few cycles confirmed work and then failed to say anything: \(waits)")
        #expect(waits.allSatisfy { $0 <= policy.ceiling(afterFailures: 0) }, "\(waits)")
    }
}
