import Foundation
import GRDB
import WaybillCore

/// The statements an order apply runs, prepared once per pulled batch.
final class OrderStatements {
    private let selectExisting: Statement
    private let upsert: Statement

    /// The replica's facts about an order before a central copy is applied.
    struct Existing {
        let state: String?
        let version: Int
        let contentVersion: Int
        let linesDigest: Int64
    }

    /// The replica's facts about order `id`, or nil when it has none.
    func existing(_ id: String) throws -> Existing? {
        selectExisting.resetForBinding()
        selectExisting.bind(id, at: 1)
        return try selectExisting.fetchBoundRow {
            Existing(state: $0.text(0), version: Int($0.int64(1)), contentVersion: Int($0.int64(2)), linesDigest: $0.int64(3))
        }
    }

    /// The replica's copy of an order, as written.
    struct Row {
        let id: String
        let version: Int
        let state: OrderState
        let data: String
        let now: Date
        let central: CentralOrderFacts
        let linesDigest: Int64
    }

    /// Inserts or replaces the replica's copy of an order.
    func upsert(_ row: Row) throws {
        try Self.run(upsert, row)
    }

    /// Inserts the replica's first copy of an order; `false` (and nothing written) when it has one.
    ///
    /// A resync mostly brings orders the replica has never seen: trying the insert first saves
    /// looking each one up before writing it.
    func insertNew(_ db: Database, _ row: Row) throws -> Bool {
        try Self.run(insertNew, row)
        return db.changesCount == 1
    }

    private static func run(_ statement: Statement, _ row: Row) throws {
        statement.resetForBinding()
        statement.bind(row.id, at: 1)
        statement.bind(Int64(row.version), at: 2)
        statement.bind(row.state.rawValue, at: 3)
        statement.bind(row.data, at: 4)
        statement.bind(row.now.timeIntervalSince1970, at: 5)
        statement.bind(row.central.state.rawValue, at: 6)
        statement.bind(row.central.stationID, at: 7)
        statement.bind(row.central.claimedBy, at: 8)
        statement.bind(Int64(row.central.contentVersion), at: 9)
        statement.bind(row.linesDigest, at: 10)
        try statement.executeBound()
    }

    private let insertNew: Statement

    init(_ db: Database) throws {
        let insert = """
            INSERT INTO orders (id, version, state, data, updated_at, central_state, station_id, claimed_by, content_version, lines_digest)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        selectExisting = try db.makeStatement(sql: "SELECT state, version, content_version, lines_digest FROM orders WHERE id = ?")
        upsert = try db.makeStatement(
            sql: insert + """

                ON CONFLICT(id) DO UPDATE SET version = excluded.version, state = excluded.state, data = excluded.data,
                    updated_at = excluded.updated_at, central_state = excluded.central_state, station_id = excluded.station_id,
                    claimed_by = excluded.claimed_by, content_version = excluded.content_version, lines_digest = excluded.lines_digest
                """
        )
        insertNew = try db.makeStatement(sql: insert + " ON CONFLICT(id) DO NOTHING")
        selectExisting.useDirectBindings()
        upsert.useDirectBindings()
        insertNew.useDirectBindings()
    }
}

extension WaybillStore {
    /// Applies a central copy of an order: reconciles it with local work, records any conflict and its
    /// follow-up operations, and keeps the lines table in step, inside the batch's transaction.
    static func applyOrder(_ db: Database, _ change: PulledChange, station: String, now: Date, statements: OrderStatements) throws
        -> ApplyResultKind
    {
        if change.op == "upsert", let stateText = change.fields.state, let centralState = OrderState(rawValue: stateText) {
            // An order the replica has never seen: reconciled against no local work, inserted without
            // looking it up first (the insert does nothing when the replica has it after all).
            let central = centralFacts(change, state: centralState, linesChanged: false)
            let decision = OrderReconciliation.reconcile(local: nil, previousContentVersion: nil, central: central, station: station)
            if decision.conflict == nil,
                try statements.insertNew(
                    db,
                    OrderStatements.Row(
                        id: change.id,
                        version: change.version,
                        state: decision.effectiveState,
                        data: change.data ?? "{}",
                        now: now,
                        central: central,
                        linesDigest: change.linesDigest ?? OrderLinesDigest().storedValue
                    )
                )
            {
                return .applied(nil)
            }
        }
        let existing = try statements.existing(change.id)
        if let existing, existing.version >= change.version { return .stale }
        if change.op == "delete" {
            // An order the central API removed takes its plan along (a reset's emptying does not).
            try db.execute(sql: "DELETE FROM shipments WHERE order_id = ?", arguments: [change.id])
            try db.execute(sql: "DELETE FROM orders WHERE id = ?", arguments: [change.id])
            return .applied(nil)
        }
        let data = change.data ?? "{}"
        let stateText = change.fields.state
        guard let stateText, let centralState = OrderState(rawValue: stateText) else {
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO quarantine (entity, entity_id, version, op, data, reason, received_at)
                    VALUES ('order', ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    change.id, change.version, change.op, data, "unknown order state '\(stateText ?? "null")'", now.timeIntervalSince1970,
                ]
            )
            return .quarantined
        }
        let digest = change.linesDigest ?? OrderLinesDigest().storedValue
        let linesChanged = existing.map { $0.linesDigest != digest } ?? false
        let central = centralFacts(change, state: centralState, linesChanged: linesChanged)
        let local = existing?.state.flatMap(OrderState.init(rawValue:))
        let decision = OrderReconciliation.reconcile(
            local: local,
            previousContentVersion: existing?.contentVersion,
            central: central,
            station: station
        )
        try statements.upsert(
            OrderStatements.Row(
                id: change.id,
                version: change.version,
                state: decision.effectiveState,
                data: data,
                now: now,
                central: central,
                linesDigest: digest
            )
        )
        if let rule = decision.conflict {
            let conflictID = try recordConflict(
                db,
                entity: "order",
                entityID: change.id,
                rule: rule,
                reason: reason(for: rule, local: local, central: central),
                localData: "{\"state\":\"\(local?.rawValue ?? "none")\"}",
                centralData: data,
                now: now
            )
            if decision.voidLabel {
                _ = try appendOperation(
                    db,
                    kind: .voidLabel,
                    entityID: change.id,
                    baseVersion: change.version,
                    payload: CentralAPI.VoidLabelPayload(conflictID: conflictID, rule: rule.rawValue),
                    now: now
                )
                // The carrier labels bought so far are void: new ones are bought (under new keys) before it ships.
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO voided_labels (label_id, order_id, reason, voided_at)
                        SELECT id, order_id, ?, ? FROM carrier_labels WHERE order_id = ?
                        """,
                    arguments: ["conflict #\(conflictID) (\(rule.rawValue))", now.timeIntervalSince1970, change.id]
                )
            }
            if decision.holdPrintJobs {
                try db.execute(
                    sql: """
                        UPDATE print_jobs SET state = 'failed', reason = ?, updated_at = ?
                        WHERE state IN ('spooled', 'held') AND label_id IN (SELECT id FROM labels WHERE order_id = ?)
                        """,
                    arguments: [
                        "withdrawn by conflict #\(conflictID) (\(rule.rawValue)); `waybill labels reprint` prints it anyway",
                        now.timeIntervalSince1970, change.id,
                    ]
                )
            }
        }
        return .applied(decision.conflict)
    }

    /// What a pulled change says about the order, as the conflict rules read it.
    private static func centralFacts(_ change: PulledChange, state: OrderState, linesChanged: Bool) -> CentralOrderFacts {
        CentralOrderFacts(
            state: state,
            stationID: change.fields.stationID,
            claimedBy: change.fields.claimedBy,
            contentVersion: change.fields.contentVersion.flatMap(Int.init) ?? 0,
            linesChanged: linesChanged
        )
    }

    private static func reason(for rule: ConflictRule, local: OrderState?, central: CentralOrderFacts) -> String {
        let was = local?.rawValue ?? "unseen"
        switch rule {
        case .intercept: return "cancelled centrally while \(was) here: stop the parcel, void its label"
        case .cancelledBeforePacking: return "cancelled centrally while \(was) here, before packing: nothing to undo"
        case .relabel: return "address changed centrally after labelling: void the label and print a new one"
        case .resplit: return "lines changed centrally after packing: plan the boxes again"
        case .superseded:
            return
                "now \(central.claimedBy.map { "claimed by \($0)" } ?? "assigned to \(central.stationID ?? "another station")"); local work (\(was)) superseded"
        case .operationRefused, .stockNegative: return rule.rawValue
        }
    }

    /// Records a conflict and returns its id.
    static func recordConflict(
        _ db: Database,
        entity: String,
        entityID: String,
        rule: ConflictRule,
        reason: String,
        localData: String?,
        centralData: String?,
        now: Date
    ) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO conflicts (entity, entity_id, rule, reason, local_data, central_data, state, resolved_by, created_at, resolved_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                entity, entityID, rule.rawValue, reason, localData, centralData, rule.needsPerson ? "needs_person" : "auto_resolved",
                rule.needsPerson ? nil : "rule", now.timeIntervalSince1970, rule.needsPerson ? nil : now.timeIntervalSince1970,
            ]
        )
        return db.lastInsertedRowID
    }
}

/// How one pulled change was applied.
enum ApplyResultKind {
    case applied(ConflictRule?)
    case stale
    case quarantined
}
