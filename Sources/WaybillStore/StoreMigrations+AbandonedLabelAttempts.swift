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
                CREATE INDEX label_attempts_by_box ON label_attempts(order_id, box_no);
                CREATE INDEX label_attempts_to_settle ON label_attempts(provider, updated_at)
                    WHERE abandoned IS NOT NULL AND abandon_outcome IS NULL;
                -- Orders cancelled before this version with a purchase whose answer never came.
                UPDATE label_attempts SET abandoned = 'the order was cancelled (found when upgrading)'
                WHERE label_id IS NULL AND attempts > 0 AND order_id IN (SELECT id FROM orders WHERE state = 'cancelled');
                """
        )
    }
}
