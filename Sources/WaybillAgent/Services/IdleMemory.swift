import WaybillStore
import WaybillSync

#if canImport(Glibc)
    import Glibc
#endif

/// Gives memory back when the agent goes idle after work. The first settled cycle that changed
/// nothing, after one that did (or after start-up), frees SQLite's caches and statements
/// (``WaybillStore/releaseMemory()``) and returns the C heap's free pages to the system
/// (`malloc_trim`). An idle agent then polls with the memory an idle poll needs, not with what its
/// last burst of work (a full pull, a wave of labels) left behind. The first time, it also hands the
/// start-up code back to the kernel (``StartUpCode``).
struct IdleMemory {
    /// Start-up and the first pull count as work.
    private var worked = true
    /// Whether ``StartUpCode/release()`` has run.
    private var startUpCodeReleased = false

    /// Called after each cycle; releases memory when the agent has just gone idle.
    /// - Returns: whether it released memory.
    @discardableResult
    mutating func cycleEnded(_ report: SyncEngine.CycleReport, store: WaybillStore) -> Bool {
        guard shouldRelease(after: report) else { return false }
        store.releaseMemory()
        _ = Self.mallocTrim?(0)
        if !startUpCodeReleased {
            startUpCodeReleased = true
            StartUpCode.release()
        }
        return true
    }

    /// glibc's `malloc_trim` (declared in malloc.h, which the Glibc module leaves out); nil elsewhere.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
            dlsym(nil, "malloc_trim").map { unsafeBitCast($0, to: (@convention(c) (Int) -> Int32).self) }
        #else
            nil
        #endif
    }()

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
