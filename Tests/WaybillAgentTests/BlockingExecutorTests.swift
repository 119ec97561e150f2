import Foundation
import Synchronization
import Testing
import WaybillStore
import WaybillTestSupport

@testable import WaybillAgent

/// The agent's blocking lane: what a service runs under its preference (its own code, the actors
/// and nonisolated functions it calls, after every await) runs on the lane's threads, not on
/// Swift's cooperative pool.
@Suite(.timeLimit(.minutes(1))) struct BlockingExecutorTests {
    /// A stand-in for `SyncEngine`: a default actor doing synchronous work.
    actor Engine {
        func cycle() async -> [String] {
            let before = threadName()
            try? await Task.sleep(for: .milliseconds(1))
            return [before, threadName()]
        }
    }

    @Test func aServiceLoop_itsActorsAndItsAwaits_runOnTheLane() async {
        let seen = Mutex<[String]>([])
        await untilShutdownOnBlockingLane {
            var names = [threadName()]
            names += await Engine().cycle()
            names += await nonisolatedWork()
            seen.withLock { $0 = names }
        }
        let names = seen.withLock { $0 }
        #expect(names.count == 4)
        #expect(names.allSatisfy { $0.hasPrefix("waybill-io.") }, "\(names)")
        let outside = await Task.detached { await nonisolatedWork() }.value
        #expect(!outside.contains { $0.hasPrefix("waybill-io.") }, "without the preference, the pool: \(outside)")
    }

    /// The station screen's blocking work (a request's SQLite reads, a PIN check) takes the same lane.
    @Test func oneBlockingPiece_runsOnTheSameLane() async throws {
        let name = try await BlockingExecutor.run { threadName() }
        #expect(name.hasPrefix("waybill-io."), "\(name)")
    }
}

private func nonisolatedWork() async -> [String] {
    [threadName()]
}

private func threadName() -> String {
    Thread.current.name ?? "unnamed"
}
