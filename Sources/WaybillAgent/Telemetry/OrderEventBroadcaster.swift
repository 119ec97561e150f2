import Foundation
import Synchronization

/// Fans order events out to every `/events` client. Each client gets its own stream of rendered
/// events; a client that goes away is dropped when its stream ends.
final class OrderEventBroadcaster: Sendable {
    private struct State {
        var clients: [UUID: AsyncStream<String>.Continuation] = [:]
        var finished = false
    }

    private let state = Mutex(State())
    /// Woken when the first client arrives, so the watcher only reads the database while someone listens.
    let clientArrived = WakeSignal()

    /// A new client's stream of rendered events; it ends when the agent shuts down.
    func subscribe() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(1000))
        let id = UUID()
        let accepted = state.withLock { state -> Bool in
            guard !state.finished else { return false }
            state.clients[id] = continuation
            return true
        }
        guard accepted else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.clients.removeValue(forKey: id) }
        }
        clientArrived.wake()
        return stream
    }

    var hasClients: Bool { state.withLock { !$0.clients.isEmpty } }

    /// Sends rendered text to every client.
    func publish(_ text: String) {
        for client in state.withLock({ Array($0.clients.values) }) { client.yield(text) }
    }

    /// Ends every client's stream and refuses new ones (graceful shutdown).
    func finish() {
        let clients = state.withLock { state -> [AsyncStream<String>.Continuation] in
            state.finished = true
            defer { state.clients = [:] }
            return Array(state.clients.values)
        }
        for client in clients { client.finish() }
    }
}
