import Foundation
import WaybillCore

/// One dedicated thread that owns a piece of state and runs closures on it, one at a time.
///
/// libcups keeps its state (server, last error, connections) per thread, and its calls block; so
/// every libcups call runs here, never on Swift's cooperative pool or Dispatch's global queues.
final class ConfinedThread<State>: @unchecked Sendable {
    // `pending` and `stopping` are guarded by `condition`; `state` is only touched on the thread.
    private let condition = NSCondition()
    private var pending: [(State) -> Void] = []
    private var stopping = false

    /// Starts the thread; `makeState` runs on it first.
    init(name: String, makeState: @escaping @Sendable () -> State) {
        Thread.start(named: name) { [self] in loop(makeState()) }
    }

    /// Runs `body` on the thread with its state and returns its result.
    func perform<T: Sendable, E: Error>(_ body: @escaping @Sendable (State) throws(E) -> T) async throws(E) -> T {
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            enqueue { state in
                do throws(E) {
                    continuation.resume(returning: .success(try body(state)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Lets the thread finish the queued work and exit, running `cleanup` with its state last.
    func stop(cleanup: @escaping @Sendable (State) -> Void) {
        enqueue(cleanup)
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func enqueue(_ work: @escaping (State) -> Void) {
        condition.lock()
        pending.append(work)
        condition.signal()
        condition.unlock()
    }

    private func loop(_ state: State) {
        while true {
            condition.lock()
            while pending.isEmpty && !stopping { condition.wait() }
            let batch = pending
            pending.removeAll()
            let exit = stopping
            condition.unlock()
            for work in batch { work(state) }
            if exit && batch.isEmpty { return }
        }
    }
}
