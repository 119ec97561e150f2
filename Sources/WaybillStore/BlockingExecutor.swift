import Foundation
import Synchronization
import WaybillCore

/// Threads of the agent's own for work that blocks: SQLite reads and commits (each commit waits
/// for an fsync), spool flushes, JSON of whole pages, PIN hashing. The one blocking lane of the
/// agent's services and of the station screen's requests.
///
/// A service runs its loop under `withTaskExecutorPreference(BlockingExecutor.shared)`: its
/// synchronous parts, and those of the actors and nonisolated functions it calls, run on these
/// threads, never on Swift's cooperative pool, so a slow disk cannot starve the HTTP server's
/// handlers (a packer's scan) of the pool's few threads. Awaiting (curl, CUPS, a sleep) frees the
/// thread for other work. ``run(_:)`` does the same for one piece of blocking work.
public final class BlockingExecutor: TaskExecutor {
    /// The agent's blocking lane: two threads, so one slow commit leaves the other service going.
    public static let shared = BlockingExecutor(threads: 2, name: "waybill-io")

    private let jobs = Mutex<[UnownedJob]>([])
    private let available = DispatchSemaphore(value: 0)

    public init(threads: Int, name: String) {
        for index in 0..<threads {
            Thread.start(named: "\(name).\(index)") { [self] in serve() }
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        available.signal()
    }

    /// Runs jobs in the order they came, for as long as the process lives.
    private func serve() {
        while true {
            available.wait()
            guard let job = jobs.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { continue }
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    /// Runs `work` on the shared lane and returns its result; the caller's task waits, its thread is free.
    public static func run<T: Sendable>(_ work: @Sendable () throws -> T) async throws -> T {
        try await withTaskExecutorPreference(shared) { try work() }
    }
}
