import GRDB

extension StoreMigrations {
    /// Box plans are the station's own work, not replica rows: `shipments` no longer cascades from
    /// `orders`. A client reset empties `orders` before it downloads them again, and the cascade
    /// deleted every plan with them, leaving labelled orders without boxes that never shipped.
    ///
    /// Rebuilt as SQLite's documented way of changing a constraint (new table, copy, drop, rename);
    /// the migrator turns foreign keys off meanwhile, so dropping the old table cascades nowhere.
    static func plansOutliveTheReplica(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE shipments_new (
                    order_id TEXT PRIMARY KEY,
                    revision INTEGER NOT NULL CHECK (revision >= 1),
                    box_count INTEGER NOT NULL CHECK (box_count >= 1),
                    total_cost REAL NOT NULL,
                    planned_by TEXT NOT NULL,
                    plan TEXT NOT NULL,
                    planned_at REAL NOT NULL
                );
                INSERT INTO shipments_new SELECT order_id, revision, box_count, total_cost, planned_by, plan, planned_at FROM shipments;
                DROP TABLE shipments;
                ALTER TABLE shipments_new RENAME TO shipments;
                """
        )
    }
}
