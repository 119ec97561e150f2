import Foundation
import GRDBSQLite
import WaybillCore

/// When the station database's write-ahead log is copied back into the database file.
public struct CheckpointPolicy: Sendable {
    /// How long writes must pause before the log is checkpointed.
    public var idle: Duration
    /// A log this many pages long is checkpointed at once, even while local writes go on (a
    /// log kept short is overwritten in place, and a commit's flush then needs no journal commit of
    /// the file system); pulled pages streaming in wait for their pause instead.
    public var forcedPages: Int32
    /// While pulled pages stream in (committed without a sync of their own), the log is written to
    /// disk in the background each time it has grown by this many pages; `nil`: never.
    ///
    /// Without it much of a full resync's log could still be in the page cache at the next commit
    /// with `synchronous = FULL`, which then waited for it: measured 0.17 to 0.37 s after the last
    /// page of 100,000 orders. PostgreSQL's `wal_writer_flush_after` does the same, for the same reason.
    public var flushAfterPages: Int32?

    /// - Parameters:
    ///   - idle: default 250 ms: a full resync's pages arrive closer together than that.
    ///   - forcedPages: default 1,024 (8 MiB of 8 KiB pages, about SQLite's own threshold).
    ///   - flushAfterPages: default 512 (4 MiB of 8 KiB pages); less than 1 counts as 1.
    public init(idle: Duration = .milliseconds(250), forcedPages: Int32 = 1024, flushAfterPages: Int32? = 512) {
        self.idle = idle
        self.forcedPages = forcedPages
        self.flushAfterPages = flushAfterPages
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
/// still used older pages) is tried again later. While pulled pages stream in, the same thread
/// writes the log to disk every few MiB (``CheckpointPolicy/flushAfterPages``).
final class WALCheckpointer: Sendable {
    private let core: Core

    init(path: String, policy: CheckpointPolicy) {
        core = Core(path: path, policy: policy)
    }

    deinit { core.stop() }

    /// Makes `db` report its commits here instead of checkpointing in the commit.
    func install(on db: OpaquePointer) {
        sqlite3_wal_hook(
            db,
            { context, _, _, pages in
                Unmanaged<Core>.fromOpaque(context!).takeUnretainedValue().committed(pages: pages)
                return SQLITE_OK
            },
            Unmanaged.passUnretained(core).toOpaque()
        )
    }

    /// Background flushes of the log so far (see ``CheckpointPolicy/flushAfterPages``).
    var logFlushes: Int { core.flushCount }

    /// The next commit is a pulled page: while they stream in, the log is left to grow.
    func bulkCommitFollows() {
        core.bulkCommitFollows()
    }

    /// Copies the whole log into the database file and truncates it, now, waiting up to 10 s for
    /// writers and readers.
    func checkpointNow() throws(StoreError) {
        let code = core.checkpoint(mode: SQLITE_CHECKPOINT_TRUNCATE, busyTimeout: 10_000)
        guard code == SQLITE_OK else {
            throw StoreError(.database, "could not checkpoint the database \(core.path) (SQLite code \(code)); is another program holding it?")
        }
    }

    /// The checkpointer's state and its thread (one per open database, started by the first commit,
    /// ended when the store is closed). Commits come from the writer's thread through the hook.
    private final class Core: @unchecked Sendable {
        let path: String
        private let policy: CheckpointPolicy
        // Guarded by `condition`.
        private let condition = NSCondition()
        private var lastCommit = ContinuousClock.now
        /// When the last pulled (replayable) page committed.
        private var lastBulkCommit: ContinuousClock.Instant?
        private var pages: Int32 = 0
        /// The log's length at its last background flush.
        private var flushedPages: Int32 = 0
        /// Background flushes that reached the disk.
        private var flushes = 0
        /// Commits since the last checkpoint.
        private var dirty = false
        private var started = false
        private var stopping = false
        // Guarded by `connectionLock`.
        private let connectionLock = NSLock()
        private var connection: OpaquePointer?

        init(path: String, policy: CheckpointPolicy) {
            self.path = path
            self.policy = policy
        }

        var flushCount: Int {
            condition.lock()
            defer { condition.unlock() }
            return flushes
        }

        func bulkCommitFollows() {
            condition.lock()
            lastBulkCommit = .now
            condition.unlock()
        }

        func committed(pages: Int32) {
            condition.lock()
            lastCommit = .now
            self.pages = pages
            dirty = true
            if !started, !stopping {
                started = true
                Thread.start(named: "waybill.wal") { [self] in run() }
            }
            condition.signal()
            condition.unlock()
        }

        func stop() {
            condition.lock()
            stopping = true
            condition.signal()
            condition.unlock()
            if !started { close() }
        }

        /// Whether the log is long enough to checkpoint without waiting for a pause.
        private func forced(now: ContinuousClock.Instant) -> Bool {
            guard pages >= policy.forcedPages else { return false }
            guard let lastBulkCommit else { return true }
            return now - lastBulkCommit >= policy.idle
        }

        /// Waits for commits; checkpoints once they pause (or the log is too long).
        private func run() {
            condition.lock()
            while !stopping {
                guard dirty else {
                    condition.wait()
                    continue
                }
                let now = ContinuousClock.now
                let quiet = now - lastCommit
                guard forced(now: now) || quiet >= policy.idle else {
                    if pages < flushedPages { flushedPages = 0 }  // the log started over after a checkpoint
                    if let every = policy.flushAfterPages, let bulk = lastBulkCommit, now - bulk < policy.idle,
                        pages - flushedPages >= max(1, every)
                    {
                        flushedPages = pages
                        condition.unlock()
                        let flushed = flushLog()
                        condition.lock()
                        if flushed { flushes += 1 }
                        continue
                    }
                    let wait = policy.idle - quiet
                    _ = condition.wait(
                        until: Date(timeIntervalSinceNow: wait / .seconds(1))
                    )
                    continue
                }
                dirty = false
                pages = 0
                flushedPages = 0
                condition.unlock()
                let finished = checkpoint(mode: SQLITE_CHECKPOINT_PASSIVE, busyTimeout: 0) == SQLITE_OK
                condition.lock()
                if !finished, !dirty {
                    // Unfinished (a reader holds older pages, or another checkpoint ran): again after a pause.
                    dirty = true
                    lastCommit = .now
                }
            }
            condition.unlock()
            close()
        }

        /// Writes the log's pages to disk (`fdatasync`) from this thread, while the writer goes on:
        /// the next commit with `synchronous = FULL` then has little left to sync. `false` when the
        /// log could not be opened or synced (the next `FULL` commit syncs it, as without this).
        private func flushLog() -> Bool {
            let fd = Glibc.open(path + "-wal", O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return false }
            defer { Glibc.close(fd) }
            return fdatasync(fd) == 0
        }

        /// One checkpoint from the checkpointer's own connection; SQLITE_OK when the whole log is
        /// now in the database file.
        func checkpoint(mode: Int32, busyTimeout: Int32) -> Int32 {
            connectionLock.lock()
            defer { connectionLock.unlock() }
            guard let db = open() else { return SQLITE_CANTOPEN }
            sqlite3_busy_timeout(db, busyTimeout)
            defer { sqlite3_busy_timeout(db, 0) }
            var logPages: Int32 = 0
            var copiedPages: Int32 = 0
            let code = sqlite3_wal_checkpoint_v2(db, nil, mode, &logPages, &copiedPages)
            // The pages read to checkpoint are not needed until the next one.
            sqlite3_db_release_memory(db)
            return code == SQLITE_OK && copiedPages < logPages ? SQLITE_BUSY : code
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

        private func close() {
            connectionLock.lock()
            defer { connectionLock.unlock() }
            if let connection { sqlite3_close_v2(connection) }
            connection = nil
        }
    }
}
