import WaybillStore
import WaybillSync

/// Gives memory back when the agent goes idle after work. The first settled cycle that changed
/// nothing, after one that did (or after start-up), frees SQLite's caches and statements
/// (``WaybillStore/releaseMemory()``). An idle agent then polls with the memory an idle poll needs,
/// not with what its last burst of work (a full pull, a wave of labels) left behind in SQLite's caches.
struct IdleMemory {
    /// Start-up and the first pull count as work.
    private var worked = true

    /// Called after each cycle; releases memory when the agent has just gone idle.
    /// - Returns: whether it released memory.
    @discardableResult
    mutating func cycleEnded(_ report: SyncEngine.CycleReport, store: WaybillStore) -> Bool {
        guard shouldRelease(after: report) else { return false }
        store.releaseMemory()
        return true
    }

    /// Whether memory is released after `report` (and the state moves on).
    mutating func shouldRelease(after report: SyncEngine.CycleReport) -> Bool {
        if report.changedSomething {
            worked = true
            return false
        }
        guard worked, report.settled else { return false }
        worked = false
        return true
    }
}

extension SyncEngine.CycleReport {
    /// Whether the cycle pushed, applied, quarantined or bought anything.
    var changedSomething: Bool {
        (pushed?.sent ?? 0) > 0 || (labels.map { $0.bought + $0.refused } ?? 0) > 0
            || (pulled.map { $0.outcome.applied + $0.outcome.quarantined } ?? 0) > 0
    }
}
