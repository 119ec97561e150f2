import Synchronization

/// Wakes a waiting service early (a local change, `waybill sync`). Wakes are coalesced: one that
/// arrives while nobody waits makes the next wait return at once.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var cancelled = false
        var waiter: CheckedContinuation<Void, Never>?
        /// Whether every wake since ``takeLocalChangesOnly()`` was a local change's.
        var localChangesOnly = true
    }

    private let state = Mutex(State())

    /// Wakes the waiter; `localChange`: for a change made at this station, which the sync loop
    /// needs only to push (the feed is read on its own cadence).
    func wake(localChange: Bool = false) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if !localChange { state.localChangesOnly = false }
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// How a wait ended.
    enum Outcome: Sendable, Equatable {
        case woken
        case timedOut
    }

    /// Whether every wake since the last call was a local change's; starts afresh.
    func takeLocalChangesOnly() -> Bool {
        state.withLock { state in
            defer { state.localChangesOnly = true }
            return state.localChangesOnly
        }
    }

    /// Returns after `duration` or at the first wake, whichever comes first; at once when cancelled.
    @discardableResult
    func wait(upTo duration: Duration) async -> Outcome {
        await wait { try? await Task.sleep(for: duration) }
    }

    /// Returns when `timer` returns or at the first wake (the timer is injectable for tests).
    func wait(timer: @escaping @Sendable () async -> Void) async -> Outcome {
        await withTaskGroup(of: Outcome.self) { group in
            group.addTask {
                await timer()
                return .timedOut
            }
            group.addTask {
                await self.nextWake()
                return .woken
            }
            let first = await group.next() ?? .timedOut
            group.cancelAll()
            return first
        }
    }

    private func nextWake() async {
        state.withLock { $0.cancelled = false }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending || state.cancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                state.cancelled = true
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
