import Foundation
import Synchronization
import WaybillStore

/// Client resets an admin asked for while the agent runs (`waybill resync` over the control socket).
///
/// The sync loop takes a request between two cycles, pauses the autopilot at the end of its round,
/// resets the replica, and goes on syncing; the autopilot resumes once the re-download is caught
/// up. The asker follows it through a stream of ``Event``s.
final class ForcedResyncs: Sendable {
    /// What the asker hears.
    enum Event: Sendable, Equatable {
        /// A step, or a failed cycle the loop retries after its backoff.
        case progress(String)
        /// The replica is downloaded again and the outbox replayed (recover) or dropped (discard).
        case done(String)
        /// The reset did not happen, or the agent stopped before the download caught up.
        case failed(String)
    }

    /// One asked-for reset.
    struct Request: Sendable {
        let mode: ResetMode
        /// Where discard writes the dropped operations first.
        let exportPath: String?
        let events: AsyncStream<Event>.Continuation
    }

    private struct State {
        var queued: Request?
        var running = false
        /// The sync loop has stopped: nothing would take a new request.
        var closed = false
    }

    private let state = Mutex(State())

    /// Where a discarding reset of the station at `storePath` exports the operations it drops:
    /// beside the database, named after the time.
    static func exportPath(storePath: String, now: Date = Date()) -> String {
        let folder = URL(fileURLWithPath: storePath).deletingLastPathComponent().path
        return "\(folder)/unconfirmed-\(Int(now.timeIntervalSince1970)).json"
    }

    /// Queues a reset and returns its events; nil while another one is queued or running, or once
    /// the agent is stopping.
    func ask(mode: ResetMode, exportPath: String?) -> AsyncStream<Event>? {
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(64))
        let accepted = state.withLock { state in
            guard state.queued == nil, !state.running, !state.closed else { return false }
            state.queued = Request(mode: mode, exportPath: exportPath, events: continuation)
            return true
        }
        return accepted ? stream : nil
    }

    /// The queued request, now running; nil when none is queued.
    func take() -> Request? {
        state.withLock { state in
            guard let request = state.queued else { return nil }
            state.queued = nil
            state.running = true
            return request
        }
    }

    /// Ends the running request with `event` (`.done` or `.failed`).
    func finish(_ request: Request, with event: Event) {
        request.events.yield(event)
        request.events.finish()
        state.withLock { $0.running = false }
    }

    /// Fails a request still queued and refuses new ones (the agent is stopping).
    func failQueued(_ reason: String) {
        if let request = state.withLock({ state -> Request? in
            state.closed = true
            defer { state.queued = nil }
            return state.queued
        }) {
            request.events.yield(.failed(reason))
            request.events.finish()
        }
    }
}

/// Keeps the autopilot's rounds apart from a forced reset: a round starts only while the gate is
/// open, and ``close()`` returns once the round under way has ended (the safe point).
actor RoundGate {
    private var closed = false
    private var inRound = false
    private var idle: [CheckedContinuation<Void, Never>] = []

    /// Starts a round; false while the gate is closed (the round is skipped).
    func begin() -> Bool {
        guard !closed else { return false }
        inRound = true
        return true
    }

    /// Ends the round ``begin()`` started.
    func end() {
        inRound = false
        for waiter in idle { waiter.resume() }
        idle = []
    }

    /// Closes the gate and waits for the round under way, if any, to end.
    func close() async {
        closed = true
        guard inRound else { return }
        await withCheckedContinuation { idle.append($0) }
    }

    /// Lets rounds start again.
    func open() { closed = false }
}
