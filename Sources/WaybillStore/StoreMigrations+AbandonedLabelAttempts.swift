import GRDB

extension StoreMigrations {
    /// A label purchase the station gave up (a relabel, an intercept) before it learned whether the
    /// provider sold the label: the label may exist, live, at the provider. The station looks it up
    /// and voids it, and keeps what came of that; the box is bought again under a new key.
    static func addAbandonedLabelAttempts(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE label_attempts ADD COLUMN abandoned TEXT;
                ALTER TABLE label_attempts ADD COLUMN abandon_outcome TEXT;
                """
        )
    }
}
