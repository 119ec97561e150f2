import Foundation
import GRDB
import WaybillCore

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
                try statements.insertNew(db, OrderStatements.Row(change, state: decision.effectiveState, now: now, central: central))
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
        let stateText = change.fields.state
        guard let stateText, let centralState = OrderState(rawValue: stateText) else {
            try quarantine(db, change, reason: "unknown order state '\(stateText ?? "null")'", now: now)
            return .quarantined
        }
        let linesChanged = existing.map { $0.linesDigest != change.linesDigestOrEmpty } ?? false
        let central = centralFacts(change, state: centralState, linesChanged: linesChanged)
        let local = existing?.state.flatMap(OrderState.init(rawValue:))
        let decision = OrderReconciliation.reconcile(
            local: local,
            previousContentVersion: existing?.contentVersion,
            central: central,
            station: station
        )
        try statements.upsert(OrderStatements.Row(change, state: decision.effectiveState, now: now, central: central))
        if let rule = decision.conflict {
            let conflictID = try recordConflict(
                db,
                entity: "order",
                entityID: change.id,
                rule: rule,
                reason: rule.reason(local: local, central: central),
                localData: "{\"state\":\"\(local?.rawValue ?? "none")\"}",
                centralData: change.data ?? "{}",
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
                // A purchase whose answer never came may have sold a label the station does not know:
                // it is given up (looked up and voided at the provider), and its box gets a new key.
                try db.execute(
                    sql: """
                        UPDATE label_attempts SET abandoned = ?
                        WHERE order_id = ? AND label_id IS NULL AND attempts > 0 AND abandoned IS NULL
                        """,
                    arguments: ["conflict #\(conflictID) (\(rule.rawValue))", change.id]
                )
            }
            try withdraw(db, decision.withdraw, orderID: change.id, cause: "conflict #\(conflictID) (\(rule.rawValue))", now: now)
        } else {
            try withdraw(db, decision.withdraw, orderID: change.id, cause: "an address change (version \(change.version))", now: now)
        }
        return .applied(decision.conflict)
    }

    /// Withdraws the order's print jobs that have not printed as `withdrawal` says, for `cause`; on
    /// `.reissue`, marks its box labels and slips replaced: they show the old address, new ones
    /// are printed from the new one (under new ids), and only those count for the parcel.
    private static func withdraw(_ db: Database, _ withdrawal: PrintWithdrawal, orderID: String, cause: String, now: Date) throws {
        switch withdrawal {
        case .none:
            return
        case .all:
            try withdrawPrintJobs(db, orderID: orderID, reason: "withdrawn by \(cause); `waybill labels reprint` prints it anyway", now: now)
        case .reissue:
            let reason = "withdrawn by \(cause): it shows the old address, a new one prints in its place"
            try replaceBoxDocuments(db, orderID: orderID, cause: cause, reason: reason, now: now)
        }
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
}

/// How one pulled change was applied.
enum ApplyResultKind {
    case applied(ConflictRule?)
    case stale
    case quarantined
}
