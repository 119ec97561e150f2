public import Foundation

extension WaybillStore {
    /// Proves the database takes a durable write: a write transaction that rewrites the station row
    /// and commits (with `synchronous = FULL`, to disk). Changes nothing a reader can see.
    ///
    /// - Throws: ``StoreError`` `.database` when the file is read-only, the disk is full, or another
    ///   writer holds the lock longer than the busy timeout.
    public func probeWrite() throws {
        try write("probe a write") { db in
            try db.execute(sql: "UPDATE station SET id = id WHERE id = 1")
        }
    }

    /// Writes fail for the database's own reasons (disk full, I/O, read-only, lock held): since when,
    /// and the last failure. Nil when the last such write went through. Every copy of a store opened
    /// once shares this.
    public var writeFailure: (since: Date, message: String)? { writeOutcomes.failure }

    /// When a write of this store last reached the file or failed for the database's own reasons;
    /// nil before any.
    public var lastWriteOutcomeAt: Date? { writeOutcomes.lastOutcomeAt }
}
