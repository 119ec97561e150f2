import GRDB

extension StoreMigrations {
    /// Purchases from a shipping provider that has no idempotency key (ShipEngine): each attempt is
    /// recorded before its request goes out, so a process that never saw the answer looks the label
    /// up before it buys again; the provider's refusal is kept for people to read. Labels voided
    /// locally get the provider's answer to their void.
    static func addLabelProviders(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE label_attempts (
                    purchase_key TEXT PRIMARY KEY,
                    provider TEXT NOT NULL,
                    order_id TEXT NOT NULL,
                    box_no INTEGER NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    label_id TEXT,
                    -- The provider's own id of the label (voids go by it), when it differs from ours.
                    provider_label_id TEXT,
                    refused TEXT,
                    updated_at REAL NOT NULL
                );
                CREATE INDEX label_attempts_by_label ON label_attempts(label_id);
                ALTER TABLE voided_labels ADD COLUMN provider_void TEXT CHECK (provider_void IN ('approved', 'refused'));
                ALTER TABLE voided_labels ADD COLUMN provider_message TEXT;
                """
        )
    }
}
