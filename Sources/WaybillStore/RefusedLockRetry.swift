import Foundation
import GRDB
import WaybillCore

/// Runs an attempt again while SQLite refuses it a lock at once, for up to ``limit``.
///
/// SQLite answers "database is locked" at once, without waiting out its busy timeout, where waiting
/// could deadlock: two connections that each hold a read lock ask for the write lock. Processes that
/// create one new database at the same moment (the agent's first start and a `waybill` command)
/// meet this as each switches the file to WAL; once the other has, an attempt succeeds. An attempt
/// refused only after waiting (another process holds the lock past the busy timeout) is not tried
/// again: its error goes to the caller at once.
struct RefusedLockRetry {
    /// How long attempts go on being retried.
    var limit: Duration = .seconds(10)
    /// An attempt that took this long or longer waited for the lock, and is not tried again.
    var waited: Duration = .seconds(1)

    /// `attempt`'s result, after as many attempts as the rules above allow; the last error otherwise.
    func run<T>(_ attempt: () throws -> T) throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        var pause = Duration.milliseconds(2)
        while true {
            let start = clock.now
            do {
                return try attempt()
            } catch let error as DatabaseError
                where error.resultCode == .SQLITE_BUSY && clock.now - start < waited && clock.now + pause < deadline
            {
                Thread.sleep(forTimeInterval: pause.seconds)
                pause = min(pause * 2, .milliseconds(100))
            }
        }
    }
}
