import GRDB
import Testing

@testable import WaybillStore

/// When opening a database is tried again: ``RefusedLockRetry``. The race it serves, processes
/// creating one new file at once, is run for real in ``MigrationTests``.
@Suite struct RefusedLockRetryTests {
    @Test func anAttemptRefusedTheLockAtOnce_isTriedAgain_untilItSucceeds() throws {
        var attempts = 0
        let result = try RefusedLockRetry().run {
            attempts += 1
            if attempts < 3 { throw DatabaseError(resultCode: .SQLITE_BUSY) }
            return "opened"
        }
        #expect(result == "opened")
        #expect(attempts == 3)
    }

    @Test func anotherError_isNotTriedAgain() {
        var attempts = 0
        #expect(throws: DatabaseError.self) {
            try RefusedLockRetry().run { () throws -> Int in
                attempts += 1
                throw DatabaseError(resultCode: .SQLITE_CANTOPEN)
            }
        }
        #expect(attempts == 1)
    }

    /// An attempt that waited for the lock (here: any attempt counts as having waited) failed
    /// because another process holds it: its error goes to the caller at once.
    @Test func anAttemptRefusedAfterWaiting_isNotTriedAgain() {
        var attempts = 0
        let error = #expect(throws: DatabaseError.self) {
            try RefusedLockRetry(waited: .zero).run { () throws -> Int in
                attempts += 1
                throw DatabaseError(resultCode: .SQLITE_BUSY)
            }
        }
        #expect(error?.resultCode == .SQLITE_BUSY)
        #expect(attempts == 1)
    }

    @Test func attemptsRefusedPastTheLimit_giveUp_withTheLastError() {
        var attempts = 0
        let error = #expect(throws: DatabaseError.self) {
            try RefusedLockRetry(limit: .milliseconds(30)).run { () throws -> Int in
                attempts += 1
                throw DatabaseError(resultCode: .SQLITE_BUSY)
            }
        }
        #expect(error?.resultCode == .SQLITE_BUSY)
        #expect(attempts > 1)
    }
}
