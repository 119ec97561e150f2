import Foundation
import GRDB
import WaybillCore

/// The station's local SQLite database: the replica, the outbox, sync cursors, conflicts and print jobs.
///
/// All database access goes through this type; callers never see SQL. Methods are named after what
/// they do for the station (``recordOrderTransition(orderID:to:kind:payload:now:)`` writes the order
/// change and its outbox entry in one transaction).
///
/// The file is opened in WAL mode with foreign keys on and `synchronous = FULL`: a commit that
/// returned is on disk, even after a power cut. Operators' work is never lost for the sake of the
/// fraction of a millisecond `NORMAL` would save. The one exception is a pulled page (with its
/// cursor): it commits with `NORMAL`, because a power cut can then only roll back pages that the
/// next pull fetches again; the database stays consistent and the page and its cursor still commit
/// or vanish together. The next `FULL` commit syncs those pages too; the log is written to disk in
/// the background while they stream in, so that commit finds little left to sync. The log is copied into the
/// database file in the background once writes pause (see ``CheckpointPolicy``), not inside a commit.
public struct WaybillStore: Sendable {
    let writer: any DatabaseWriter
    /// The database file, or `nil` for an in-memory store.
    public let path: String?
    /// Checkpoints the write-ahead log of a file database.
    private let checkpointer: WALCheckpointer?
    /// Whether the last write reached the file; shared by every copy of this store.
    let writeOutcomes = WriteOutcomes()

    private init(writer: any DatabaseWriter, path: String?, checkpointer: WALCheckpointer? = nil) throws {
        self.writer = writer
        self.path = path
        self.checkpointer = checkpointer
        do {
            try Self.migrate(writer)
        } catch {
            throw StoreError(.migration, "could not migrate the database\(path.map { " at \($0)" } ?? ""): \(error)")
        }
    }

    /// Brings the schema up to date, also while another process does the same (the agent and a
    /// `waybill` command started together on a new or upgraded database). GRDB reads which
    /// migrations are applied before the transaction that applies the next one, so the second
    /// process to apply a migration fails (a column already there, or its identifier already
    /// recorded) and rolls it back. Such a failure means the other process applied it: migrating
    /// again goes on from what is applied now. A failure with no progress elsewhere is thrown.
    private static func migrate(_ writer: any DatabaseWriter) throws {
        let migrator = StoreMigrations.migrator
        while true {
            let before = try writer.read { try migrator.appliedIdentifiers($0) }
            do {
                try migrator.migrate(writer)
                return
            } catch {
                let after = try writer.read { try migrator.appliedIdentifiers($0) }
                guard after.count > before.count else { throw error }
            }
        }
    }

    /// Opens (creating the file and its folder when absent) and migrates the database at `path`.
    ///
    /// - Throws: ``StoreError`` `.cannotOpen` when the file cannot be created or opened,
    ///   `.migration` when the schema cannot be brought up to date.
    /// - Parameter checkpoints: when the write-ahead log is copied into the database file, in the
    ///   background (see ``CheckpointPolicy``).
    public static func open(atPath path: String, checkpoints: CheckpointPolicy = CheckpointPolicy()) throws -> WaybillStore {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw StoreError(.cannotOpen, "cannot create the database folder \(folder.path): \(error.localizedDescription)")
        }
        let pool: DatabasePool
        let checkpointer = WALCheckpointer(path: path, policy: checkpoints)
        do {
            // Another process may be creating the same new file this moment (see RefusedLockRetry).
            pool = try RefusedLockRetry().run { try DatabasePool(path: path, configuration: Self.configuration(checkpointer: checkpointer)) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw StoreError(.cannotOpen, "cannot open the database \(path): another process holds it locked (\(error)); try again once it is done")
        } catch {
            throw StoreError(.cannotOpen, "cannot open the database \(path): \(error); check the path and its permissions")
        }
        return try WaybillStore(writer: pool, path: path, checkpointer: checkpointer)
    }

    /// A fresh in-memory store, for tests of code that needs a store but not a file.
    public static func inMemory() throws -> WaybillStore {
        try WaybillStore(writer: DatabaseQueue(configuration: configuration()), path: nil)
    }

    /// - Parameter checkpointer: takes over the write-ahead log's checkpoints (file databases).
    private static func configuration(checkpointer: WALCheckpointer? = nil) -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // New databases only (an existing file keeps its page size): 8 KiB pages hold 15 orders
            // each, and a resync writes half the log frames (measured: apply 10 % faster; 16 KiB was
            // 16 % faster but kept 1.1 MB more of an idle agent's memory in SQLite's cache).
            try db.execute(sql: "PRAGMA page_size = 8192")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            if let checkpointer, let connection = db.sqliteConnection {
                // After a resync's checkpoint the log file shrinks back to at most 16 MiB.
                try db.execute(sql: "PRAGMA journal_size_limit = 16777216")
                checkpointer.install(on: connection)
            }
        }
        return configuration
    }

    /// Copies the whole write-ahead log into the database file now and truncates the log, waiting
    /// for readers as needed (normally a background checkpoint does this once writes pause; see
    /// ``CheckpointPolicy``).
    public func checkpoint() throws {
        try checkpointer?.checkpointNow()
    }

    /// Background flushes of the write-ahead log so far (see ``CheckpointPolicy/flushAfterPages``).
    var backgroundLogFlushes: Int { checkpointer?.logFlushes ?? 0 }

    /// Frees SQLite's page caches and prepared statements and closes idle reader connections, for an
    /// agent gone idle after work (measured: about 1 MB of an idle agent's memory). The next access
    /// reads its pages again from the file system's cache. Waits for accesses in progress.
    public func releaseMemory() {
        if let pool = writer as? DatabasePool {
            pool.releaseMemory()
        } else if let queue = writer as? DatabaseQueue {
            queue.releaseMemory()
        }
    }

    /// The number of migrations the code knows; a fully migrated database has this schema version.
    public static var latestSchemaVersion: Int { StoreMigrations.identifiers.count }

    /// The number of migrations applied to this database.
    public func schemaVersion() throws -> Int {
        try read("read the schema version") { db in
            try StoreMigrations.migrator.appliedIdentifiers(db).count
        }
    }

    /// Runs `PRAGMA integrity_check`; returns `["ok"]` for a healthy database, else SQLite's findings.
    public func integrityCheck() throws -> [String] {
        try read("check integrity") { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check")
        }
    }

    /// Runs `PRAGMA quick_check` (the fast form, for start-up); `["ok"]` when healthy.
    public func quickCheck() throws -> [String] {
        try read("check the database") { db in
            try String.fetchAll(db, sql: "PRAGMA quick_check")
        }
    }

    func read<T>(_ intent: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.database, "could not \(intent): \(error)")
        }
    }

    /// A write that the central API can replay: committed with `synchronous = NORMAL` (see the type's
    /// documentation), so a full resync is not held back by an fsync per page.
    func replayableWrite<T>(_ intent: String, _ body: (Database) throws -> T) throws -> T {
        do {
            checkpointer?.bulkCommitFollows()
            return try writeOutcomes.track {
                try writer.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA synchronous = NORMAL")
                    let result: Result<T, any Error>
                    do {
                        var value: T?
                        try db.inTransaction {
                            value = try body(db)
                            return .commit
                        }
                        result = .success(value!)
                    } catch {
                        result = .failure(error)
                    }
                    try db.execute(sql: "PRAGMA synchronous = FULL")
                    return try result.get()
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.database, "could not \(intent): \(error)")
        }
    }

    func write<T>(_ intent: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try writeOutcomes.track { try writer.write(body) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.database, "could not \(intent): \(error)")
        }
    }
}
