import GRDB

extension StoreMigrations {
    /// The label provider's own prices of a parcel, as it answered them (`POST /v1/rates`), kept a
    /// while so the same parcel is not asked for again: by everything that decides the price. An
    /// empty answer is a refusal of the parcel, kept as long.
    static func addLiveQuotes(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE live_quotes (
                    parcel TEXT NOT NULL,
                    -- The provider's account as it prices (carrier, ship-from, service codes).
                    provider TEXT NOT NULL,
                    prices TEXT NOT NULL,
                    asked_at REAL NOT NULL,
                    PRIMARY KEY (parcel, provider)
                ) WITHOUT ROWID;
                """
        )
    }
}
