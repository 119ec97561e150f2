import Foundation
import GRDB
import Synchronization

/// Whether the station's writes reach its database file: the health model's "database writes
/// failing" comes from what real writes met, not from a probe alone.
///
/// Only failures of the database itself count (disk full, I/O error, read-only file system, a lock
/// held past the busy timeout, a damaged file); a write a rule refuses (a constraint, a state the
/// order is not in) shows the database works.
final class WriteOutcomes: Sendable {
    private struct State {
        var failingSince: Date?
        var lastFailure: String?
        var lastOutcomeAt: Date?
    }

    private let state = Mutex(State())

    /// The SQLite result codes that say the database cannot take writes.
    private static let failures: [ResultCode] = [
        .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_READONLY, .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_CANTOPEN,
        .SQLITE_CORRUPT, .SQLITE_NOTADB, .SQLITE_PERM,
    ]

    /// Runs a write and records whether the database took it.
    func track<T>(_ write: () throws -> T) throws -> T {
        do {
            let value = try write()
            state.withLock { state in
                state.failingSince = nil
                state.lastFailure = nil
                state.lastOutcomeAt = Date()
            }
            return value
        } catch let error as DatabaseError where Self.failures.contains(error.resultCode) {
            let now = Date()
            state.withLock { state in
                if state.failingSince == nil { state.failingSince = now }
                state.lastFailure = "SQLite error \(error.extendedResultCode.rawValue): \(error.message ?? "\(error.resultCode)")"
                state.lastOutcomeAt = now
            }
            throw error
        }
    }

    /// Since when writes fail and the last failure; nil when the last write went through.
    var failure: (since: Date, message: String)? {
        state.withLock { state in
            guard let since = state.failingSince else { return nil }
            return (since, state.lastFailure ?? "unknown error")
        }
    }

    /// When a write last succeeded or failed for the database's own reasons.
    var lastOutcomeAt: Date? { state.withLock { $0.lastOutcomeAt } }
}
