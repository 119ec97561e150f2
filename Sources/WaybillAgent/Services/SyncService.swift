import Foundation
import Logging
import ServiceLifecycle
import WaybillStore
import WaybillSync

/// Pulls and pushes on a cadence: every poll interval, sooner when an outbox entry falls due or
/// someone asks (``WakeSignal``), later after failures (backoff). Stops at once on graceful shutdown.
struct SyncService: Service, CustomStringConvertible {
    let engine: SyncEngine
    let store: WaybillStore
    let pollInterval: Duration
    let wake: WakeSignal
    let logger: Logger

    var description: String { "SyncService" }

    func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let report = await engine.cycle()
                var delay = report.retryIn ?? pollInterval
                if report.error == nil, let due = try? store.nextPushDue() {
                    delay = min(delay, .milliseconds(max(10, Int(due.timeIntervalSinceNow * 1000))))
                }
                await wake.wait(upTo: delay)
            }
        }
    }
}

/// Wakes a waiting service early (a local change, `waybill sync`). Wakes are coalesced.
final class WakeSignal: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func wake() { continuation.yield() }

    /// Returns after `duration` or at the first wake, whichever comes first; at once when cancelled.
    func wait(upTo duration: Duration) async {
        let stream = self.stream
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: duration) }
            group.addTask {
                var iterator = stream.makeAsyncIterator()
                _ = await iterator.next()
            }
            await group.next()
            group.cancelAll()
        }
    }
}
