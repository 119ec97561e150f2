import GRDB

/// The hub's schema, as forward-only migrations.
enum HubMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-hub") { db in
            try db.execute(
                sql: """
                    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

                    CREATE TABLE stations (
                        id TEXT PRIMARY KEY,
                        warehouse TEXT NOT NULL,
                        secret_sha256 TEXT NOT NULL,
                        revoked INTEGER NOT NULL DEFAULT 0,
                        created_at REAL NOT NULL
                    );
                    CREATE TABLE refresh_tokens (
                        token_sha256 TEXT PRIMARY KEY,
                        station_id TEXT NOT NULL REFERENCES stations(id),
                        expires_at REAL NOT NULL,
                        used INTEGER NOT NULL DEFAULT 0
                    );

                    -- Current state of every entity; `data` is its JSON as the feed serves it.
                    CREATE TABLE entities (
                        entity TEXT NOT NULL,
                        id TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        station_id TEXT,
                        deleted INTEGER NOT NULL DEFAULT 0,
                        data TEXT NOT NULL,
                        PRIMARY KEY (entity, id)
                    );

                    -- The changes feed: one pre-rendered JSON object per change. station_id NULL: every station.
                    CREATE TABLE changes (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        entity TEXT NOT NULL,
                        entity_id TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        station_id TEXT,
                        body TEXT NOT NULL
                    );
                    CREATE INDEX changes_by_entity ON changes(entity, entity_id, station_id);

                    -- Last sequence number applied per (station, epoch), updated with each effect.
                    CREATE TABLE station_sequences (
                        station_id TEXT NOT NULL,
                        epoch INTEGER NOT NULL,
                        last_seq INTEGER NOT NULL,
                        PRIMARY KEY (station_id, epoch)
                    );
                    -- The answer given to each operation, replayed for duplicates.
                    CREATE TABLE operation_results (
                        station_id TEXT NOT NULL,
                        idempotency_key TEXT NOT NULL,
                        result TEXT NOT NULL,
                        PRIMARY KEY (station_id, idempotency_key)
                    );

                    CREATE TABLE label_purchases (
                        idempotency_key TEXT NOT NULL,
                        station_id TEXT NOT NULL,
                        request_sha256 TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
                        response TEXT,
                        created_at REAL NOT NULL,
                        PRIMARY KEY (station_id, idempotency_key)
                    );

                    -- Every applied effect, so tests can prove each operation took effect exactly once.
                    CREATE TABLE ledger (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        station_id TEXT NOT NULL,
                        epoch INTEGER,
                        seq INTEGER,
                        idempotency_key TEXT NOT NULL,
                        type TEXT NOT NULL,
                        entity_id TEXT NOT NULL,
                        version INTEGER,
                        applied_at REAL NOT NULL
                    );
                    """
            )
        }
        migrator.registerMigration("v2-deliveries") { db in
            try db.execute(
                sql: """
                    -- Every delivery of an operation or label purchase, not only first applications: tests
                    -- count repeats (a retry, a replay after a client reset) and prove none had a second effect.
                    CREATE TABLE deliveries (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        station_id TEXT NOT NULL,
                        epoch INTEGER,
                        seq INTEGER,
                        idempotency_key TEXT NOT NULL,
                        type TEXT NOT NULL,
                        entity_id TEXT NOT NULL,
                        outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'duplicate', 'refused')),
                        received_at REAL NOT NULL
                    );
                    """
            )
        }
        migrator.registerMigration("v3-operation-digests") { db in
            try db.execute(
                sql: """
                    -- The SHA-256 of what each key's operation asked for (its canonical request: type, entity,
                    -- base version, payload), so a key reused for something else is refused, not replayed.
                    -- NULL for answers stored before this migration: those keys are compared by key only.
                    ALTER TABLE operation_results ADD COLUMN request_sha256 TEXT;
                    -- Why a refused delivery was refused, so a run can count reused keys apart from conflicts.
                    ALTER TABLE deliveries ADD COLUMN reason TEXT;
                    """
            )
        }
        migrator.registerMigration("v4-emulated-shipping", migrate: HubStore.addEmulatedShipping)
        migrator.registerMigration("v5-emulated-storefront", migrate: HubStore.addEmulatedStorefront)
        return migrator
    }
}
