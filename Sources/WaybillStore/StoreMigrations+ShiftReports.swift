import GRDB

extension StoreMigrations {
    /// The shift reports composed for sending (one per period, its exact message kept so a retry
    /// sends the same bytes) and the spells the station was offline (for the reports' minutes offline).
    static func addShiftReports(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE report_outbox (
                    period_key TEXT PRIMARY KEY,
                    period_start REAL NOT NULL,
                    period_end REAL NOT NULL,
                    message_id TEXT NOT NULL,
                    sender TEXT NOT NULL,
                    recipients TEXT NOT NULL,
                    message BLOB NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'dead')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at REAL NOT NULL,
                    last_error TEXT,
                    -- The process sending it now (its lease is next_attempt_at): a sender that died
                    -- mid-send is seen by the next agent, which sends it again at once.
                    claimed_by INTEGER,
                    created_at REAL NOT NULL,
                    sent_at REAL
                );
                CREATE TABLE offline_spells (started_at REAL NOT NULL, ended_at REAL NOT NULL);
                """
        )
    }
}
