import GRDB
import WaybillCore

/// The store's schema, as forward-only migrations. Never edit a shipped migration: append a new one.
enum StoreMigrations {
    /// Every migration identifier, oldest first. The schema version is the number applied.
    static var identifiers: [String] { migrator.migrations }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-initial", migrate: createInitialSchema)
        migrator.registerMigration("v2-sync", migrate: addSyncSchema)
        migrator.registerMigration("v3-lines-in-data", migrate: moveLinesIntoData)
        migrator.registerMigration("v4-shipments", migrate: addShipments)
        migrator.registerMigration("v5-print", migrate: addPrintSchema)
        migrator.registerMigration("v6-voided-labels", migrate: addVoidedLabels)
        migrator.registerMigration("v7-pack-events", migrate: addPackEvents)
        migrator.registerMigration("v8-box-weights", migrate: addBoxWeights)
        migrator.registerMigration("v9-packers", migrate: addPackers)
        migrator.registerMigration("v10-plans-outlive-the-replica", migrate: plansOutliveTheReplica)
        migrator.registerMigration("v11-quarantine-undecodable-rows", migrate: quarantineRowsBreakingTheContract)
        migrator.registerMigration("v12-shift-reports", migrate: addShiftReports)
        migrator.registerMigration("v13-label-providers", migrate: addLabelProviders)
        migrator.registerMigration("v14-print-withdrawals", migrate: addPrintWithdrawals)
        migrator.registerMigration("v15-live-quotes", migrate: addLiveQuotes)
        migrator.registerMigration("v16-abandoned-label-attempts", migrate: addAbandonedLabelAttempts)
        migrator.registerMigration("v17-replaced-box-documents", migrate: addReplacedBoxDocuments)
        migrator.registerMigration("v18-unanswered-label-requests", migrate: addUnansweredLabelRequests)
        migrator.registerMigration("v19-quarantine-rows-breaking-the-contract", migrate: quarantineRowsBreakingTheContract)
        return migrator
    }

    /// The people who sign in at the station's screen: a name, a salted hash of their PIN (never the
    /// PIN) and whether they may accept a weight mismatch. Local to the station, never synced.
    private static func addPackers(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE packers (
                    name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
                    pin_hash TEXT NOT NULL,
                    supervisor INTEGER NOT NULL CHECK (supervisor IN (0, 1)),
                    added_at REAL NOT NULL
                );
                """
        )
    }

    /// Each weighing of a verified box at the bench (the scale's stable reading or a weight typed by
    /// hand), its verdict against the expected weight, and a supervisor's override with its reason.
    /// The latest row of a box's plan revision decides whether its labels may print.
    private static func addBoxWeights(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE box_weights (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    order_id TEXT NOT NULL,
                    revision INTEGER NOT NULL,
                    box_no INTEGER NOT NULL,
                    measured_lb REAL NOT NULL,
                    expected_lb REAL NOT NULL,
                    allowed_lb REAL NOT NULL,
                    source TEXT NOT NULL CHECK (source IN ('scale', 'manual')),
                    verdict TEXT NOT NULL CHECK (verdict IN ('within', 'mismatch')),
                    override_reason TEXT,
                    packer TEXT NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE INDEX box_weights_by_box ON box_weights(order_id, revision, box_no);
                """
        )
    }

    /// What packers did at the bench: every scan and hand confirmation of an order's plan revision,
    /// in order, with its outcome and the packer (replayed, they give back the verification state).
    private static func addPackEvents(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE pack_events (
                    order_id TEXT NOT NULL,
                    revision INTEGER NOT NULL,
                    seq INTEGER NOT NULL,
                    box_no INTEGER,
                    gesture TEXT NOT NULL CHECK (gesture IN ('scan', 'hand')),
                    text TEXT NOT NULL,
                    sku TEXT,
                    units INTEGER NOT NULL,
                    outcome TEXT NOT NULL,
                    packer TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    PRIMARY KEY (order_id, revision, seq)
                ) WITHOUT ROWID;
                """
        )
    }

    /// Carrier labels voided by a conflict (address edited, lines edited, cancelled after labelling):
    /// never printed again, and the box gets a new label before it ships.
    private static func addVoidedLabels(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE voided_labels (
                    label_id TEXT PRIMARY KEY,
                    order_id TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    voided_at REAL NOT NULL
                );
                CREATE INDEX voided_labels_by_order ON voided_labels(order_id);
                """
        )
    }

    /// Print jobs keyed by label id (the CUPS job name), with format, spool path, reprints and the
    /// resubmission count reconciliation needs. The v1 table was never written: replaced outright.
    private static func addPrintSchema(_ db: Database) throws {
        try db.execute(
            sql: """
                DROP INDEX print_jobs_by_state;
                DROP TABLE print_jobs;
                CREATE TABLE print_jobs (
                    label_id TEXT PRIMARY KEY,
                    printer TEXT NOT NULL,
                    format TEXT NOT NULL CHECK (format IN ('zpl', 'pdf')),
                    spool_path TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('spooled', 'submitted', 'printed', 'held', 'failed')),
                    cups_job_id INTEGER,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at REAL,
                    reason TEXT,
                    reprint_of TEXT,
                    reprint_reason TEXT,
                    resubmissions INTEGER NOT NULL DEFAULT 0,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL
                );
                CREATE INDEX print_jobs_by_state ON print_jobs(state);
                """
        )
    }

    /// Box plans: an order's shipment (parent) and its boxes (children) with their items, and the quote cache.
    private static func addShipments(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE shipments (
                    order_id TEXT PRIMARY KEY REFERENCES orders(id) ON DELETE CASCADE,
                    revision INTEGER NOT NULL CHECK (revision >= 1),
                    box_count INTEGER NOT NULL CHECK (box_count >= 1),
                    total_cost REAL NOT NULL,
                    planned_by TEXT NOT NULL,
                    plan TEXT NOT NULL,
                    planned_at REAL NOT NULL
                );
                CREATE TABLE shipment_boxes (
                    order_id TEXT NOT NULL REFERENCES shipments(order_id) ON DELETE CASCADE,
                    box_no INTEGER NOT NULL CHECK (box_no >= 1),
                    box_id TEXT NOT NULL,
                    outer_dims TEXT NOT NULL,
                    location TEXT NOT NULL,
                    service TEXT NOT NULL,
                    zone INTEGER NOT NULL,
                    gross_lb REAL NOT NULL,
                    billable_lb INTEGER NOT NULL,
                    postage REAL NOT NULL,
                    material_cost REAL NOT NULL,
                    items TEXT NOT NULL,
                    PRIMARY KEY (order_id, box_no)
                ) WITHOUT ROWID;

                -- Quotes by everything that decides a price, so repeating one costs a lookup.
                CREATE TABLE quote_cache (
                    service TEXT NOT NULL,
                    zone INTEGER NOT NULL,
                    billable_lb INTEGER NOT NULL,
                    dims TEXT NOT NULL,
                    flags TEXT NOT NULL,
                    table_version INTEGER NOT NULL,
                    quote TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    PRIMARY KEY (service, zone, billable_lb, dims, flags, table_version)
                ) WITHOUT ROWID;
                """
        )
    }

    /// Order lines live only in the order's central JSON (`data`); the replica keeps their digest
    /// (``OrderLinesDigest``) to notice a central edit. A full resync then writes one row per order
    /// instead of one per line (measured: the lines table was most of a resync's SQLite time).
    private static func moveLinesIntoData(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE orders ADD COLUMN lines_digest INTEGER NOT NULL DEFAULT 0")
        try db.execute(sql: "UPDATE orders SET lines_digest = ?", arguments: [OrderLinesDigest().storedValue])
        let rows = try Row.fetchAll(db, sql: "SELECT order_id, sku_id, quantity FROM order_lines ORDER BY order_id, line_no")
        var digests: [String: OrderLinesDigest] = [:]
        for row in rows { digests[row["order_id"], default: OrderLinesDigest()].add(sku: row["sku_id"], quantity: row["quantity"]) }
        for (orderID, digest) in digests {
            try db.execute(sql: "UPDATE orders SET lines_digest = ? WHERE id = ?", arguments: [digest.storedValue, orderID])
        }
        try db.execute(sql: "DROP TABLE order_lines")
    }

    /// What the sync engine needs: central fields of orders, held outbox entries, quarantine, sync state.
    private static func addSyncSchema(_ db: Database) throws {
        try db.execute(
            sql: """
                -- `state` stays the station's effective (local) state; these are the central copy's fields.
                ALTER TABLE orders ADD COLUMN central_state TEXT;
                ALTER TABLE orders ADD COLUMN station_id TEXT;
                ALTER TABLE orders ADD COLUMN claimed_by TEXT;
                ALTER TABLE orders ADD COLUMN content_version INTEGER NOT NULL DEFAULT 0;
                -- Counting orders by state scans a station's few thousand orders in milliseconds; the index
                -- cost every pulled order an extra B-tree write.
                DROP INDEX orders_by_state;

                -- The outbox gains 'held': an entry that waits for a conflict on its entity to be resolved.
                CREATE TABLE outbox_v2 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    station_id TEXT NOT NULL,
                    epoch INTEGER NOT NULL,
                    seq INTEGER NOT NULL,
                    idempotency_key TEXT NOT NULL UNIQUE,
                    type TEXT NOT NULL,
                    entity_id TEXT NOT NULL,
                    base_version INTEGER,
                    payload TEXT NOT NULL,
                    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'confirmed', 'dead', 'held')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at REAL NOT NULL,
                    last_error TEXT,
                    result TEXT,
                    created_at REAL NOT NULL,
                    confirmed_at REAL,
                    conflict_id INTEGER,
                    UNIQUE (station_id, epoch, seq)
                );
                INSERT INTO outbox_v2 (id, station_id, epoch, seq, idempotency_key, type, entity_id, base_version, payload, state,
                                       attempts, next_attempt_at, last_error, result, created_at, confirmed_at)
                    SELECT id, station_id, epoch, seq, idempotency_key, type, entity_id, base_version, payload, state,
                           attempts, next_attempt_at, last_error, result, created_at, confirmed_at FROM outbox;
                DROP TABLE outbox;
                ALTER TABLE outbox_v2 RENAME TO outbox;
                CREATE INDEX outbox_by_state ON outbox(state, epoch, seq);
                CREATE INDEX outbox_by_entity ON outbox(entity_id, state);

                CREATE TABLE rules (id TEXT PRIMARY KEY, version INTEGER NOT NULL, data TEXT NOT NULL);
                CREATE TABLE carrier_labels (
                    id TEXT PRIMARY KEY,
                    version INTEGER NOT NULL,
                    order_id TEXT NOT NULL,
                    data TEXT NOT NULL
                );
                CREATE INDEX carrier_labels_by_order ON carrier_labels(order_id);

                -- Changes the station could not understand (unknown entity type or enum value), kept for a person.
                CREATE TABLE quarantine (
                    entity TEXT NOT NULL,
                    entity_id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    op TEXT NOT NULL,
                    data TEXT,
                    reason TEXT NOT NULL,
                    received_at REAL NOT NULL,
                    PRIMARY KEY (entity, entity_id)
                );

                -- Facts about sync for status: last successful pull/push, caught-up time, connectivity, last error.
                CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at REAL NOT NULL);
                """
        )
    }

    private static func createInitialSchema(_ db: Database) throws {
        // One row: who this replica belongs to, its epoch and the next outbox sequence number.
        try db.execute(
            sql: """
                CREATE TABLE station (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    station_id TEXT NOT NULL,
                    epoch INTEGER NOT NULL CHECK (epoch >= 1),
                    next_seq INTEGER NOT NULL DEFAULT 1 CHECK (next_seq >= 1),
                    created_at REAL NOT NULL
                );

                -- Replica of central entities. `data` keeps the central JSON as received; the columns beside
                -- it are what the station queries or owns.
                CREATE TABLE orders (
                    id TEXT PRIMARY KEY,
                    version INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    data TEXT NOT NULL DEFAULT '{}',
                    updated_at REAL NOT NULL
                );
                CREATE INDEX orders_by_state ON orders(state);
                CREATE TABLE order_lines (
                    order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
                    line_no INTEGER NOT NULL,
                    sku_id TEXT NOT NULL,
                    quantity INTEGER NOT NULL CHECK (quantity > 0),
                    PRIMARY KEY (order_id, line_no)
                );
                CREATE TABLE skus (id TEXT PRIMARY KEY, version INTEGER NOT NULL, data TEXT NOT NULL);
                CREATE TABLE stock (
                    sku_id TEXT NOT NULL,
                    location TEXT NOT NULL,
                    quantity INTEGER NOT NULL,
                    version INTEGER NOT NULL,
                    PRIMARY KEY (sku_id, location)
                );
                CREATE TABLE boxes (id TEXT PRIMARY KEY, version INTEGER NOT NULL, data TEXT NOT NULL);
                CREATE TABLE rate_tables (id TEXT PRIMARY KEY, version INTEGER NOT NULL, data TEXT NOT NULL);

                -- The outbound operation log. (station_id, epoch, seq) orders the station's operations;
                -- the idempotency key is fixed at creation and survives replays under a later epoch.
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    station_id TEXT NOT NULL,
                    epoch INTEGER NOT NULL,
                    seq INTEGER NOT NULL,
                    idempotency_key TEXT NOT NULL UNIQUE,
                    type TEXT NOT NULL,
                    entity_id TEXT NOT NULL,
                    base_version INTEGER,
                    payload TEXT NOT NULL,
                    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'confirmed', 'dead')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at REAL NOT NULL,
                    last_error TEXT,
                    result TEXT,
                    created_at REAL NOT NULL,
                    confirmed_at REAL,
                    UNIQUE (station_id, epoch, seq)
                );
                CREATE INDEX outbox_by_state ON outbox(state, epoch, seq);

                CREATE TABLE sync_cursors (
                    feed TEXT PRIMARY KEY,
                    cursor TEXT NOT NULL,
                    updated_at REAL NOT NULL
                );

                CREATE TABLE conflicts (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    entity TEXT NOT NULL,
                    entity_id TEXT NOT NULL,
                    rule TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    local_data TEXT,
                    central_data TEXT,
                    state TEXT NOT NULL CHECK (state IN ('needs_person', 'auto_resolved', 'resolved')),
                    resolution TEXT,
                    resolved_by TEXT,
                    note TEXT,
                    created_at REAL NOT NULL,
                    resolved_at REAL
                );
                CREATE INDEX conflicts_by_state ON conflicts(state);

                CREATE TABLE labels (
                    id TEXT PRIMARY KEY,
                    order_id TEXT NOT NULL,
                    box_no INTEGER,
                    kind TEXT NOT NULL CHECK (kind IN ('carrier', 'box', 'slip', 'test')),
                    format TEXT NOT NULL CHECK (format IN ('zpl', 'pdf')),
                    spool_path TEXT,
                    byte_count INTEGER,
                    created_at REAL NOT NULL
                );
                CREATE TABLE print_jobs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    label_id TEXT NOT NULL REFERENCES labels(id),
                    printer TEXT NOT NULL,
                    state TEXT NOT NULL
                        CHECK (state IN ('spooled', 'submitted', 'printed', 'held', 'failed')),
                    cups_job_id INTEGER,
                    reason TEXT,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at REAL,
                    reprint_reason TEXT,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL
                );
                CREATE INDEX print_jobs_by_state ON print_jobs(state);
                """
        )
    }
}
