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
}
