import Foundation
import Synchronization

/// The hub's notion of now: the system clock plus an offset an admin can advance, so tests can let
/// access tokens expire without waiting.
final class HubClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)

    var now: Date { Date().addingTimeInterval(offset.withLock { $0 }) }

    func advance(by seconds: TimeInterval) {
        offset.withLock { $0 += seconds }
    }
}
