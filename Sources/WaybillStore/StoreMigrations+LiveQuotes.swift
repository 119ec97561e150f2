import GRDB

extension StoreMigrations {
    /// The label provider's own prices of a parcel, as it answered them (`POST /v1/rates`), kept a
    /// while so the same parcel is not asked for again: by everything that decides the price.
    static func addLiveQuotes(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE live_quotes (
                    parcel TEXT PRIMARY KEY NOT NULL,
                    provider TEXT NOT NULL,
                    prices TEXT NOT NULL,
                    asked_at REAL NOT NULL
                ) WITHOUT ROWID;
                """
        )
    }
}
