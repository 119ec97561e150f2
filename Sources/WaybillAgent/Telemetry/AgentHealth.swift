import Foundation
import Synchronization
import WaybillStore

/// What `/healthz` reports: the database takes writes, and the agent's loops are alive.
///
/// The sync loop calls ``beat()`` at least every few seconds while it waits and after every cycle;
/// a loop silent for longer than ``stallLimit`` is reported as stalled (the same failure systemd's
/// watchdog restarts the agent for).
final class AgentHealth: Sendable {
    let store: WaybillStore
    /// Why sync does not run, when it does not (no station secret); `nil` when it runs.
    let syncOff: String?
    /// How long the sync loop may stay silent (a slow cycle) before it counts as stalled.
    let stallLimit: Duration
    private let lastBeat = Mutex<ContinuousClock.Instant>(.now)

    init(store: WaybillStore, syncOff: String?, stallLimit: Duration = .seconds(300)) {
        self.store = store
        self.syncOff = syncOff
        self.stallLimit = stallLimit
    }

    /// The sync loop is alive.
    func beat() {
        lastBeat.withLock { $0 = .now }
    }

    /// What is wrong, one sentence each saying what to do; empty when healthy.
    func problems() -> [String] {
        var problems: [String] = []
        do {
            try store.probeWrite()
        } catch {
            problems.append("database not writable: \(error)")
        }
        if let syncOff {
            problems.append("sync is off: \(syncOff)")
        } else {
            let silent = ContinuousClock.now - lastBeat.withLock { $0 }
            if silent > stallLimit {
                problems.append("the sync loop has been stuck for \(silent.components.seconds) s; see the logs, then restart the agent")
            }
        }
        return problems
    }
}
