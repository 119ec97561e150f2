import Foundation
import GRDB
import WaybillCore

/// The statements an order apply runs, prepared once per pulled batch.
final class OrderStatements {
    let selectExisting: Statement
    let upsert: Statement
    /// Multi-row inserts of an order's lines, by line count.
    private var insertLines: [Int: Statement] = [:]
    private let db: Database

    /// Inserts all of an order's lines with one statement.
    func insertLines(orderID: String, _ lines: [OrderLine]) throws {
        guard !lines.isEmpty else { return }
        let statement: Statement
        if let prepared = insertLines[lines.count] {
            statement = prepared
        } else {
            let values = Array(repeating: "(?, ?, ?, ?)", count: lines.count).joined(separator: ", ")
            statement = try db.makeStatement(sql: "INSERT INTO order_lines (order_id, line_no, sku_id, quantity) VALUES \(values)")
            insertLines[lines.count] = statement
        }
        var arguments: [(any DatabaseValueConvertible)?] = []
        arguments.reserveCapacity(lines.count * 4)
        for (index, line) in lines.enumerated() {
            arguments += [orderID, index + 1, line.skuID, line.quantity]
        }
        try statement.execute(arguments: StatementArguments(arguments))
    }

    init(_ db: Database) throws {
        self.db = db
        selectExisting = try db.makeStatement(sql: "SELECT state, version, content_version FROM orders WHERE id = ?")
        upsert = try db.makeStatement(
            sql: """
                INSERT INTO orders (id, version, state, data, updated_at, central_state, station_id, claimed_by, content_version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET version = excluded.version, state = excluded.state, data = excluded.data,
                    updated_at = excluded.updated_at, central_state = excluded.central_state, station_id = excluded.station_id,
                    claimed_by = excluded.claimed_by, content_version = excluded.content_version
                """
        )
    }
}

extension WaybillStore {
    /// Applies a central copy of an order: reconciles it with local work, records any conflict and its
    /// follow-up operations, and keeps the lines table in step, inside the batch's transaction.
    static func applyOrder(_ db: Database, _ change: PulledChange, station: String, now: Date, statements: OrderStatements) throws
        -> ApplyResultKind
    {
        let existing = try Row.fetchOne(statements.selectExisting, arguments: [change.id])
        if let existing, (existing["version"] as Int) >= change.version { return .stale }
        if change.op == "delete" {
            try db.execute(sql: "DELETE FROM orders WHERE id = ?", arguments: [change.id])
            return .applied(nil)
        }
        let data = change.data ?? "{}"
        let stateText = change.fields["state"]
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
        let lines = change.lines ?? []
        var linesChanged = false
        if existing != nil {
            let stored = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT sku_id, quantity FROM order_lines WHERE order_id = ? ORDER BY line_no"),
                arguments: [change.id]
            )
            .map { OrderLine(skuID: $0["sku_id"], quantity: $0["quantity"]) }
            linesChanged = stored != lines
        }
        let central = CentralOrderFacts(
            state: centralState,
            stationID: change.fields["station_id"],
            claimedBy: change.fields["claimed_by"],
            contentVersion: change.fields["content_version"].flatMap(Int.init) ?? 0,
            linesChanged: linesChanged
        )
        let local = (existing?["state"] as String?).flatMap(OrderState.init(rawValue:))
        let decision = OrderReconciliation.reconcile(
            local: local,
            previousContentVersion: existing?["content_version"],
            central: central,
            station: station
        )
        try statements.upsert.execute(
            arguments: [
                change.id, change.version, decision.effectiveState.rawValue, data, now.timeIntervalSince1970, centralState.rawValue,
                central.stationID, central.claimedBy, central.contentVersion,
            ]
        )
        if existing == nil || central.linesChanged {
            if existing != nil { try db.cachedStatement(sql: "DELETE FROM order_lines WHERE order_id = ?").execute(arguments: [change.id]) }
            try statements.insertLines(orderID: change.id, lines)
        }
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
                    payload: "{\"conflict_id\":\(conflictID),\"rule\":\"\(rule.rawValue)\"}",
                    now: now
                )
            }
            if decision.holdPrintJobs {
                try db.execute(
                    sql: """
                        UPDATE print_jobs SET state = 'held', reason = ?, updated_at = ?
                        WHERE state IN ('spooled', 'held') AND label_id IN (SELECT id FROM labels WHERE order_id = ?)
                        """,
                    arguments: ["held by conflict #\(conflictID) (\(rule.rawValue))", now.timeIntervalSince1970, change.id]
                )
            }
        }
        return .applied(decision.conflict)
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
