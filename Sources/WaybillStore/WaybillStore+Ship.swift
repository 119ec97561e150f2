public import Foundation
import GRDB
public import WaybillCore

/// Shipping an order by hand (`waybill ship ORDER_ID`).
extension WaybillStore {
    /// What ``shipOrder(_:slips:now:)`` did.
    public enum ShipOutcome: Sendable, Equatable {
        /// The order moved to shipped; the `ship` operation is in the outbox.
        case shipped(OutboxOperation)
        /// The order was shipped before; nothing was written.
        case alreadyShipped
    }

    /// Moves a labelled order whose every box has a printed carrier label, not voided (and whose recorded box
    /// labels and packing slips have printed) to shipped, with its `ship`
    /// outbox entry, in one transaction (so it never races the autonomous mode).
    ///
    /// - Parameter slips: whether packing slips print at this station (`printers.document` is
    ///   configured), as for the autonomous mode: when not, no slip holds the order, not even one
    ///   recorded or issued again while a document printer was configured.
    /// - Throws: ``StoreError`` `.notFound` for an order the replica lacks; `.invalidTransition` when
    ///   the order is not ready, naming each thing missing (plan, label request, carrier label of a
    ///   box, a print that has not completed) and what to do about it.
    public func shipOrder(_ orderID: String, slips: Bool = true, now: Date = Date()) throws -> ShipOutcome {
        try write("ship order \(orderID)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT state, version FROM orders WHERE id = ?", arguments: [orderID]) else {
                throw StoreError(.notFound, "order \(orderID) is not in the replica; run `waybill sync` or check the id with `waybill orders list`")
            }
            let stateText: String = row["state"]
            switch OrderState(rawValue: stateText) {
            case .shipped?: return .alreadyShipped
            case .labelled?: break
            case .assigned?, .claimed?:
                throw StoreError(
                    .invalidTransition,
                    "order \(orderID) is \(stateText): it has no box plan yet; pack it first (`waybill pack \(orderID)`)"
                )
            case .packed?:
                throw StoreError(
                    .invalidTransition,
                    "order \(orderID) is packed but its carrier labels were not requested yet; request them, print them, then ship"
                )
            default:
                throw StoreError(.invalidTransition, "order \(orderID) is \(stateText); only a labelled order can be shipped")
            }
            let missing =
                try Self.missingCarrierLabels(db, orderID: orderID) + Self.unprintedBoxDocuments(db, orderID: orderID, slips: slips)
            guard missing.isEmpty else {
                throw StoreError(.invalidTransition, "order \(orderID) cannot ship yet: " + missing.joined(separator: "; "))
            }
            try db.execute(
                sql: "UPDATE orders SET state = 'shipped', updated_at = ? WHERE id = ?",
                arguments: [now.timeIntervalSince1970, orderID]
            )
            return .shipped(
                try Self.appendOperation(
                    db,
                    kind: .ship,
                    entityID: orderID,
                    baseVersion: row["version"],
                    payload: CentralAPI.EmptyPayload(),
                    now: now
                )
            )
        }
    }

    /// One sentence per box label or packing slip (when `slips`) recorded for the order (the
    /// autonomous mode prints them) that has not printed, saying what to do: a parcel never leaves
    /// without them. One that was replaced (it showed the old address, or the boxes were planned
    /// again) no longer counts; the one issued in its place must print, for the boxes of the
    /// current plan only.
    static func unprintedBoxDocuments(_ db: Database, orderID: String, slips: Bool) throws -> [String] {
        // Boxes of the current plan only: a box a new plan no longer has needs no documents.
        let reissued = try Row.fetchAll(
            db,
            sql: """
                SELECT old.box_no, old.kind,
                       (SELECT r.replaced FROM labels r WHERE r.order_id = ?1 AND r.box_no = old.box_no AND r.kind = old.kind
                          AND r.replaced IS NOT NULL ORDER BY r.created_at DESC, r.rowid DESC LIMIT 1) AS replaced
                FROM labels old
                WHERE old.order_id = ?1 AND (old.kind = 'box' OR (?2 AND old.kind = 'slip')) AND old.replaced IS NOT NULL
                  AND old.box_no IN (SELECT box_no FROM shipment_boxes WHERE order_id = ?1)
                  AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.order_id = ?1 AND l.box_no = old.box_no AND l.kind = old.kind
                                    AND l.replaced IS NULL)
                GROUP BY old.box_no, old.kind
                ORDER BY old.box_no, old.kind
                """,
            arguments: [orderID, slips]
        ).map { row in
            let document = row["kind"] == "slip" ? "packing slip" : "box label"
            let replaced: String = row["replaced"]
            let why = replaced.hasPrefix(Self.replannedCause) ? "belonged to the old box plan" : "showed the old address"
            return "box \(row["box_no"] as Int)'s \(document) \(why) and was issued again, but the new one has not printed; "
                + "run the agent with printers configured (it prints it)"
        }
        return try reissued
            + Row.fetchAll(
                db,
                sql: """
                    SELECT l.id, l.box_no, l.kind, (SELECT p.state FROM print_jobs p WHERE p.label_id = l.id) AS state
                    FROM labels l
                    WHERE l.order_id = ? AND (l.kind = 'box' OR (? AND l.kind = 'slip')) AND l.replaced IS NULL
                      AND NOT EXISTS (SELECT 1 FROM print_jobs p WHERE (p.label_id = l.id OR p.reprint_of = l.id) AND p.state = 'printed')
                    ORDER BY l.box_no, l.kind
                    """,
                arguments: [orderID, slips]
            ).map { row in
                let labelID: String = row["id"]
                let box: Int = row["box_no"]
                let document = row["kind"] == "slip" ? "packing slip" : "box label"
                guard let state = row["state"] as String? else {
                    return "box \(box)'s \(document) \(labelID) was never spooled; run the agent with printers configured (it prints it)"
                }
                return
                    "box \(box)'s \(document) \(labelID) is \(state); fix the printer (`waybill printers`) or reprint it (`waybill labels reprint \(labelID) --reason ...`)"
            }
    }

    /// One sentence per box whose carrier label has not printed, saying what to do.
    static func missingCarrierLabels(_ db: Database, orderID: String) throws -> [String] {
        let boxes = try Int.fetchAll(db, sql: "SELECT box_no FROM shipment_boxes WHERE order_id = ? ORDER BY box_no", arguments: [orderID])
        guard !boxes.isEmpty else { return ["it has no box plan; pack it again (`waybill pack \(orderID)`)"] }
        var missing: [String] = []
        for box in boxes {
            let jobs = try Row.fetchAll(
                db,
                sql: """
                    SELECT l.id, p.state, p.reason FROM labels l JOIN print_jobs p ON p.label_id = l.id OR p.reprint_of = l.id
                    WHERE l.order_id = ? AND l.box_no = ? AND l.kind = 'carrier' AND l.id NOT IN (SELECT label_id FROM voided_labels)
                    ORDER BY p.updated_at
                    """,
                arguments: [orderID, box]
            )
            if jobs.contains(where: { $0["state"] == PrintJobState.printed.rawValue }) { continue }
            if let job = jobs.last {
                let labelID: String = job["id"]
                let state: String = job["state"]
                let reason = (job["reason"] as String?).map { " (\($0))" } ?? ""
                missing.append(
                    "box \(box)'s carrier label \(labelID) is \(state)\(reason); fix the printer (`waybill printers`) or reprint it (`waybill labels reprint \(labelID) --reason ...`)"
                )
                continue
            }
            let arrived = try String.fetchOne(
                db,
                sql: """
                    SELECT id FROM carrier_labels WHERE order_id = ? AND json_extract(data, '$.box_no') = ?
                      AND id NOT IN (SELECT label_id FROM voided_labels)
                    """,
                arguments: [orderID, box]
            )
            if let arrived {
                missing.append("box \(box)'s carrier label \(arrived) arrived but was not printed; configure printers.label and run the agent")
            } else {
                missing.append(
                    "box \(box) has no (unvoided) carrier label yet; run `waybill sync` (it is bought or sent once the label request is confirmed)"
                )
            }
        }
        return missing
    }
}
