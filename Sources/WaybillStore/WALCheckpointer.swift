import Dispatch
import GRDBSQLite
import Synchronization

/// When the station database's write-ahead log is copied back into the database file.
public struct CheckpointPolicy: Sendable {
    /// How long writes must pause before the log is checkpointed.
    public var idle: Duration
    /// A log this many pages long is checkpointed at once, even while local writes go on (a
    /// log kept short is overwritten in place, and a commit's flush then needs no journal commit of
    /// the file system); pulled pages streaming in wait for their pause instead.
    public var forcedPages: Int32

    /// - Parameters:
    ///   - idle: default 250 ms: a full resync's pages arrive closer together than that.
    ///   - forcedPages: default 1,024 (16 MiB of 16 KiB pages, SQLite's own threshold).
    public init(idle: Duration = .milliseconds(250), forcedPages: Int32 = 1024) {
        self.idle = idle
        self.forcedPages = forcedPages
    }
}

/// Checkpoints the write-ahead log from a connection of its own, in the background, once writes
/// pause, instead of inside whichever commit crosses SQLite's autocheckpoint threshold.
///
/// SQLite's default runs a checkpoint in the committing connection every 1,000 pages: during a
/// full resync that copied every page a second time on the critical path (measured: 45 % of the
/// apply time), and after it, a packer's next action would have paid for the whole copy. Here a
/// resync's log is copied once its pages stop arriving, and local work's log past 1,024 pages. The writer
/// reports each commit through `sqlite3_wal_hook` (which replaces the autocheckpoint); a PASSIVE
/// checkpoint never blocks the writer or readers. A log the checkpoint could not finish (a reader
/// still used older pages) is tried again later.
final class WALCheckpointer: Sendable {
    private let path: String
    private let policy: CheckpointPolicy
    private let queue = DispatchQueue(label: "waybill.store.checkpoint", qos: .utility)
    private let state = Mutex(State())
    /// The checkpoint connection; only touched on `queue` (and in deinit).
    private nonisolated(unsafe) var connection: OpaquePointer?

    private struct State {
        var lastCommit = ContinuousClock.now
        /// When the last pulled (replayable) page committed.
        var lastBulkCommit: ContinuousClock.Instant?
        var pages: Int32 = 0
        /// When the earliest scheduled look at the log is due, if one is.
        var nextLook: ContinuousClock.Instant?

        /// Whether the log is long enough to checkpoint without waiting for a pause.
        func forced(now: ContinuousClock.Instant, policy: CheckpointPolicy) -> Bool {
            guard pages >= policy.forcedPages else { return false }
            guard let lastBulkCommit else { return true }
            return now - lastBulkCommit >= policy.idle
        }

        /// Whether a look is needed at `time`, sooner than the one scheduled: then it is scheduled.
        mutating func schedule(at time: ContinuousClock.Instant) -> Bool {
            if let nextLook, nextLook <= time { return false }
            nextLook = time
            return true
        }
    }

    init(path: String, policy: CheckpointPolicy) {
        self.path = path
        self.policy = policy
    }

    deinit {
        if let connection { sqlite3_close_v2(connection) }
    }

    /// Makes `db` report its commits here instead of checkpointing in the commit.
    func install(on db: OpaquePointer) {
        sqlite3_wal_hook(
            db,
            { context, _, _, pages in
                Unmanaged<WALCheckpointer>.fromOpaque(context!).takeUnretainedValue().committed(pages: pages)
                return SQLITE_OK
            },
            Unmanaged.passUnretained(self).toOpaque()
        )
    }

    /// The next commit is a pulled page: while they stream in, the log is left to grow.
    func bulkCommitFollows() {
        state.withLock { $0.lastBulkCommit = .now }
    }

    /// A commit left the log `pages` long.
    func committed(pages: Int32) {
        let now = ContinuousClock.now
        let look = state.withLock { state -> ContinuousClock.Instant? in
            state.lastCommit = now
            state.pages = pages
            let time = state.forced(now: now, policy: policy) ? now : now + policy.idle
            return state.schedule(at: time) ? time : nil
        }
        if let look { schedule(at: look) }
    }

    private func schedule(at time: ContinuousClock.Instant) {
        let delay = max(.zero, time - ContinuousClock.now)
        let nanoseconds = Int(delay.components.seconds) * 1_000_000_000 + Int(delay.components.attoseconds / 1_000_000_000)
        queue.asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [self] in look() }
    }

    /// Checkpoints when writes paused long enough (or the log is too long); looks again later otherwise.
    private func look() {
        let now = ContinuousClock.now
        // nil: checkpoint now; otherwise writes go on: look again then (if not already scheduled).
        let later = state.withLock { state -> ContinuousClock.Instant?? in
            if let nextLook = state.nextLook, nextLook <= now { state.nextLook = nil }
            if state.forced(now: now, policy: policy) || now - state.lastCommit >= policy.idle {
                state.pages = 0
                return nil
            }
            let time = state.lastCommit + policy.idle
            return .some(state.schedule(at: time) ? time : nil)
        }
        if let later {
            if let time = later { schedule(at: time) }
            return
        }
        if !checkpoint() {
            // Unfinished (a reader holds older pages, or another checkpoint ran): try again later.
            let time = ContinuousClock.now + policy.idle
            if state.withLock({ $0.schedule(at: time) }) { schedule(at: time) }
        }
    }

    /// Copies the whole log into the database file and truncates it, now: after the background
    /// checkpoints in progress, waiting up to 10 s for writers and readers.
    func checkpointNow() throws(StoreError) {
        let code: Int32 = queue.sync {
            guard let db = open() else { return SQLITE_CANTOPEN }
            sqlite3_busy_timeout(db, 10_000)
            defer { sqlite3_busy_timeout(db, 0) }
            return sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_TRUNCATE, nil, nil)
        }
        guard code == SQLITE_OK else {
            throw StoreError(.database, "could not checkpoint the database \(path) (SQLite code \(code)); is another program holding it?")
        }
    }

    /// One PASSIVE checkpoint; `true` when the whole log is now in the database file.
    private func checkpoint() -> Bool {
        guard let db = open() else { return false }
        var logPages: Int32 = 0
        var copiedPages: Int32 = 0
        let code = sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, &logPages, &copiedPages)
        return code == SQLITE_OK && copiedPages >= logPages
    }

    private func open() -> OpaquePointer? {
        if let connection { return connection }
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let db else {
            if let db { sqlite3_close_v2(db) }
            return nil
        }
        // A first read opens the log (a connection that has read nothing checkpoints nothing).
        guard sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nil, nil, nil) == SQLITE_OK else {
            sqlite3_close_v2(db)
            return nil
        }
        connection = db
        return db
    }
}
