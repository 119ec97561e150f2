import GRDB

extension StoreMigrations {
    /// When the last purchase request of a box ended without an answer (a timeout, a dropped
    /// connection, a crash, a 5xx): the provider may still be selling that label, so a look-up that
    /// finds none counts as "none sold" only a while after it. Cleared by a refusal or a stored label.
    static func addUnansweredLabelRequests(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE label_attempts ADD COLUMN unanswered_since REAL;
                -- A purchase that went out before this version and never got its label: in doubt since then
                -- (a refusal kept from an earlier attempt says nothing of the last one).
                UPDATE label_attempts SET unanswered_since = updated_at WHERE attempts > 0 AND label_id IS NULL;
                """
        )
    }
}
