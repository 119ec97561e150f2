public import Foundation
import GRDB
public import WaybillCore

/// What applying one pulled batch did.
public struct PullOutcome: Sendable, Hashable {
    public var applied = 0
    /// Changes not newer than the replica's copy (repeats, or older versions), ignored.
    public var stale = 0
    /// Changes this station cannot understand, kept in quarantine for a person.
    public var quarantined = 0
    /// Conflicts the batch raised.
    public var conflicts: [ConflictRule] = []

    public init() {}
}

extension WaybillStore {
    /// Applies a pulled batch and stores the cursor that follows it, in one transaction.
    ///
    /// Each change applies only when newer than the replica's copy. An order's central copy is
    /// reconciled with local work by ``OrderReconciliation``; conflicts are recorded (and
    /// `void_label` operations queued) in the same transaction. A change the pull found invalid
    /// (``PulledChange/problem``), of an unknown entity type or with an unknown order state is
    /// quarantined with its reason (and its data, capped), not applied, and does not stop the batch.
    public func applyPulledBatch(_ changes: [PulledChange], cursor: String, feed: String = "central", now: Date = Date()) throws
        -> PullOutcome
    {
        try replayableWrite("apply a pulled batch") { db in
            guard let station = try String.fetchOne(db, sql: "SELECT station_id FROM station WHERE id = 1") else {
                throw StoreError(.notFound, "the database has no station identity yet")
            }
            let outcome = try Self.apply(db, changes, station: station, now: now)
            try db.execute(
                sql: """
                    INSERT INTO sync_cursors (feed, cursor, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT(feed) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at
                    """,
                arguments: [feed, cursor, now.timeIntervalSince1970]
            )
            return outcome
        }
    }

    /// Applies checked changes by the rules of ``applyPulledBatch(_:cursor:feed:now:)``, inside its transaction.
    private static func apply(_ db: Database, _ changes: [PulledChange], station: String, now: Date) throws -> PullOutcome {
        var outcome = PullOutcome()
        let hasQuarantine = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM quarantine)") ?? false
        let orderStatements = try OrderStatements(db)
        for change in changes {
            if let problem = change.problem {
                try Self.quarantine(db, change, reason: problem, now: now)
                outcome.quarantined += 1
                continue
            }
            // Nearly every change is an order's: compared first, without the enum's string switch.
            guard let entity = change.entity == "order" ? .order : CentralAPI.Entity(rawValue: change.entity) else {
                try Self.quarantine(db, change, reason: "unknown entity type '\(change.entity)'", now: now)
                outcome.quarantined += 1
                continue
            }
            guard change.op == "upsert" || change.op == "delete" else {
                try Self.quarantine(db, change, reason: "unknown operation '\(change.op)'", now: now)
                outcome.quarantined += 1
                continue
            }
            let result =
                entity == .order
                ? try Self.applyOrder(db, change, station: station, now: now, statements: orderStatements)
                : try Self.apply(db, entity, change, station: station, now: now)
            switch result {
            case .applied(let conflict):
                outcome.applied += 1
                if let conflict { outcome.conflicts.append(conflict) }
                if hasQuarantine {
                    try db.execute(
                        sql: "DELETE FROM quarantine WHERE entity = ? AND entity_id = ? AND version <= ?",
                        arguments: [change.entity, change.id, change.version]
                    )
                }
            case .stale:
                outcome.stale += 1
            case .quarantined:
                outcome.quarantined += 1
            }
        }
        return outcome
    }

    /// Applies changes a person asked to retry out of quarantine (``FeedPageParser`` checked them
    /// again), by the pull's rules, without moving any cursor: a change now valid and newer than the
    /// replica's copy applies and leaves the quarantine; one the replica has superseded leaves it too;
    /// one still invalid stays, with its new reason.
    public func applyRetriedChanges(_ changes: [PulledChange], now: Date = Date()) throws -> PullOutcome {
        try write("apply retried changes") { db in
            guard let station = try String.fetchOne(db, sql: "SELECT station_id FROM station WHERE id = 1") else {
                throw StoreError(.notFound, "the database has no station identity yet")
            }
            // Out first: a change the apply still refuses (an unknown order state) goes back in with its reason.
            for change in changes where change.problem == nil {
                try db.execute(
                    sql: "DELETE FROM quarantine WHERE entity = ? AND entity_id = ? AND version <= ?",
                    arguments: [change.entity, change.id, change.version]
                )
            }
            return try Self.apply(db, changes, station: station, now: now)
        }
    }

    /// The stored cursor of a feed, or `nil` before the first pull.
    public func cursor(feed: String = "central") throws -> String? {
        try read("read the cursor") { db in
            try String.fetchOne(db, sql: "SELECT cursor FROM sync_cursors WHERE feed = ?", arguments: [feed])
        }
    }

    /// Every entity of a type in the replica with its version (orders: the central version).
    public func replicaVersions(of entity: CentralAPI.Entity) throws -> [String: Int] {
        let table: String =
            switch entity {
            case .order: "orders"
            case .sku: "skus"
            case .box: "boxes"
            case .rateTable: "rate_tables"
            case .rules: "rules"
            case .label: "carrier_labels"
            case .stock: "stock"
            }
        let idColumn = entity == .stock ? "sku_id || '@' || location" : "id"
        return try read("read replica versions") { db in
            var result: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT \(idColumn) AS id, version FROM \(table)") { result[row["id"]] = row["version"] }
            return result
        }
    }

    /// Quarantined changes, newest first.
    public func quarantined(limit: Int = 500) throws -> [QuarantinedChange] {
        try read("read the quarantine") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM quarantine ORDER BY received_at DESC, entity, entity_id LIMIT ?", arguments: [limit])
                .map(QuarantinedChange.init(row:))
        }
    }

    /// The quarantined change of entity `entity` with id `id` (its newest version), or nil.
    public func quarantined(entity: String, id: String) throws -> QuarantinedChange? {
        try read("read the quarantine") { db in
            try Row.fetchOne(
                db,
                sql: "SELECT * FROM quarantine WHERE entity = ? AND entity_id = ? ORDER BY version DESC LIMIT 1",
                arguments: [entity, id]
            ).map(QuarantinedChange.init(row:))
        }
    }

    /// The most of a quarantined change's data kept (its raw bytes, for a person to read).
    public static let quarantinedBytes = 16 * 1024

    /// Quarantines `change` with `reason` (its data capped at ``quarantinedBytes``).
    static func quarantine(_ db: Database, _ change: PulledChange, reason: String, now: Date) throws {
        try quarantine(
            db,
            entity: change.entity,
            id: change.id,
            version: change.version,
            op: change.op,
            data: change.data,
            reason: reason,
            now: now.timeIntervalSince1970
        )
    }

    /// Records one change in the quarantine, replacing what it held for the same version; its data
    /// capped at ``quarantinedBytes``.
    static func quarantine(
        _ db: Database,
        entity: String,
        id: String,
        version: Int,
        op: String,
        data: String?,
        reason: String,
        now: TimeInterval
    ) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO quarantine (entity, entity_id, version, op, data, reason, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                entity, id, version, op, data.map { String(decoding: Array($0.utf8.prefix(Self.quarantinedBytes)), as: UTF8.self) },
                reason, now,
            ]
        )
    }

    private static func apply(_ db: Database, _ entity: CentralAPI.Entity, _ change: PulledChange, station: String, now: Date) throws
        -> ApplyResultKind
    {
        let data = change.data ?? "{}"
        switch entity {
        case .order:
            preconditionFailure("orders are applied by applyOrder with the batch's prepared statements")
        case .stock:
            if change.op == "delete" {
                // The id is `sku@location`, and a SKU may hold `@` itself: each split is tried (by the key).
                var deleted = 0
                for at in change.id.indices where change.id[at] == "@" {
                    try db.execute(
                        sql: "DELETE FROM stock WHERE sku_id = ? AND location = ? AND version < ?",
                        arguments: [String(change.id[..<at]), String(change.id[change.id.index(after: at)...]), change.version]
                    )
                    deleted += db.changesCount
                }
                return deleted > 0 ? .applied(nil) : .stale
            }
            // The feed parser checked the change against the contract (which reads `12.0` as 12 too);
            // this is the store's own guard for changes that did not come through it.
            guard let sku = change.fields.sku, let location = change.fields.location, let quantity = change.fields.quantity.flatMap(Self.wholeNumber)
            else {
                try quarantine(db, change, reason: "a stock change needs sku and location strings and a whole-number quantity", now: now)
                return .quarantined
            }
            try db.cachedStatement(
                sql: """
                    INSERT INTO stock (sku_id, location, quantity, version) VALUES (?, ?, ?, ?)
                    ON CONFLICT(sku_id, location) DO UPDATE SET quantity = excluded.quantity, version = excluded.version
                    WHERE excluded.version > stock.version
                    """
            ).execute(arguments: [sku, location, quantity, change.version])
        case .label:
            if change.op == "delete" { return try delete(db, "carrier_labels", change) }
            try db.cachedStatement(
                sql: """
                    INSERT INTO carrier_labels (id, version, order_id, data) VALUES (?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET version = excluded.version, order_id = excluded.order_id, data = excluded.data
                    WHERE excluded.version > carrier_labels.version
                    """
            ).execute(arguments: [change.id, change.version, change.fields.orderID ?? "", data])
        case .sku, .box, .rateTable, .rules:
            let table =
                switch entity {
                case .sku: "skus"
                case .box: "boxes"
                case .rateTable: "rate_tables"
                default: "rules"
                }
            if change.op == "delete" { return try delete(db, table, change) }
            try db.cachedStatement(
                sql: """
                    INSERT INTO \(table) (id, version, data) VALUES (?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET version = excluded.version, data = excluded.data
                    WHERE excluded.version > \(table).version
                    """
            ).execute(arguments: [change.id, change.version, data])
        }
        return db.changesCount > 0 ? .applied(nil) : .stale
    }

    /// The whole number a JSON number's text writes (`12`, `12.0`, `1.2e1`), or nil.
    static func wholeNumber(_ text: String) -> Int? {
        Int(text) ?? Double(text).flatMap { Int(exactly: $0) }
    }

    private static func delete(_ db: Database, _ table: String, _ change: PulledChange) throws -> ApplyResultKind {
        try db.execute(sql: "DELETE FROM \(table) WHERE id = ? AND version < ?", arguments: [change.id, change.version])
        return db.changesCount > 0 ? .applied(nil) : .stale
    }
}

/// A pulled change kept out of the replica, with why: for a person (`waybill quarantine`).
public struct QuarantinedChange: Sendable, Hashable {
    public let entity: String
    public let id: String
    public let version: Int
    public let op: String
    /// The change's data as received (capped at 16 KiB), nil for a delete.
    public let data: String?
    public let reason: String
    public let receivedAt: Date

    /// Whether ``data`` was longer than the quarantine keeps (``WaybillStore/quarantinedBytes``):
    /// only a fresh copy from the central system can be checked again.
    public var isTruncated: Bool { (data?.utf8.count ?? 0) >= WaybillStore.quarantinedBytes - 3 }

    init(row: Row) {
        entity = row["entity"]
        id = row["entity_id"]
        version = row["version"]
        op = row["op"]
        data = row["data"]
        reason = row["reason"]
        receivedAt = Date(timeIntervalSince1970: row["received_at"])
    }
}
