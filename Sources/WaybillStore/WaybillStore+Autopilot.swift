public import Foundation
import GRDB
public import WaybillCore

/// A label the station has to print: its id, bytes and format, and what it belongs to.
public struct LabelToPrint: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case carrier, box, slip
    }

    public let labelID: String
    public let orderID: String
    public let boxNo: Int
    public let kind: Kind
    public let format: LabelFormat
    public let bytes: [UInt8]

    public init(labelID: String, orderID: String, boxNo: Int, kind: Kind, format: LabelFormat, bytes: [UInt8]) {
        self.labelID = labelID
        self.orderID = orderID
        self.boxNo = boxNo
        self.kind = kind
        self.format = format
        self.bytes = bytes
    }
}

/// The queries and switches of the autonomous station mode.
extension WaybillStore {
    /// Orders assigned to this station that nobody has claimed yet, oldest first.
    public func ordersToPack(stationID: String, limit: Int = 20) throws -> [String] {
        try read("list the orders to pack") { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT id FROM orders
                    WHERE state = 'assigned' AND station_id = ? AND claimed_by IS NULL
                      AND NOT \(Self.heldForPerson("orders"))
                    ORDER BY id LIMIT ?
                    """,
                arguments: [stationID, limit]
            )
        }
    }

    /// Packed orders with a plan whose carrier labels were not requested yet, and whose every box's
    /// documents (box label, and packing slip when `slips`) have a durable print job: a carrier label
    /// is never bought for a parcel whose own labels could still be lost.
    public func ordersAwaitingLabelRequest(slips: Bool, limit: Int = 50) throws -> [String] {
        try read("list the packed orders") { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT o.id FROM orders o JOIN shipments s ON s.order_id = o.id
                    WHERE \(Self.awaitingLabelRequest)
                    ORDER BY o.id LIMIT ?2
                    """,
                arguments: [slips, limit]
            )
        }
    }

    /// Moves `orderID` to labelled with its `label_request` entry (one label per box of its plan)
    /// if it still awaits one as ``ordersAwaitingLabelRequest(slips:limit:)`` lists it, in one
    /// transaction: a conflict the sync applied since the list was read (lines changed after
    /// packing, a cancellation) keeps it here, and no label is bought for a plan a person must redo.
    ///
    /// - Returns: whether the labels were requested.
    public func requestLabelsIfReady(_ orderID: String, slips: Bool, now: Date = Date()) throws -> Bool {
        try write("request the labels of order \(orderID)") { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT o.version, s.box_count FROM orders o JOIN shipments s ON s.order_id = o.id
                        WHERE o.id = ?2 AND \(Self.awaitingLabelRequest)
                        """,
                    arguments: [slips, orderID]
                )
            else { return false }
            try db.execute(sql: "UPDATE orders SET state = 'labelled', updated_at = ? WHERE id = ?", arguments: [now.timeIntervalSince1970, orderID])
            _ = try Self.appendOperation(
                db,
                kind: .labelRequest,
                entityID: orderID,
                baseVersion: row["version"],
                payload: CentralAPI.LabelRequestPayload(boxes: row["box_count"]),
                now: now
            )
            return true
        }
    }

    /// SQL true for an order `o` joined with its shipment `s` whose carrier labels can be requested
    /// (the first argument: whether packing slips print).
    private static var awaitingLabelRequest: String {
        """
        o.state = 'packed'
          AND NOT \(heldForPerson("o"))
          AND NOT \(documentsWithheld("o"))
          AND NOT EXISTS (SELECT 1 FROM shipment_boxes b WHERE b.order_id = o.id AND \(boxLacksDocument(printed: false)))
        """
    }

    /// Boxes of planned orders whose box label (or, when `slips`, packing slip) has no print job yet
    /// (they print even offline). A label recorded but not yet spooled (a crash between the two)
    /// counts as missing, and so does one that was replaced (it showed the old address, or the old
    /// plan's boxes). With
    /// `verifiedOnly` (a manual station), only boxes a packer verified and weighed at the bench
    /// (``boxReadyAtBench``). None of an order whose documents are withheld (``documentsWithheld(_:)``).
    ///
    /// `issue` is the box's documents' issue to print: 1, then one more for each time they were
    /// replaced (a relabel or an address change: they showed the old address; the boxes planned
    /// again) (see ``BoxDocuments/labelID(orderID:boxNumber:issue:)``).
    public func boxesWithoutLocalLabels(slips: Bool, verifiedOnly: Bool = false, limit: Int = 50) throws
        -> [(orderID: String, boxNo: Int, issue: Int)]
    {
        try read("list boxes to label") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT b.order_id, b.box_no,
                           1 + (SELECT count(DISTINCT l.replaced) FROM labels l
                                WHERE l.order_id = b.order_id AND l.box_no = b.box_no AND l.replaced IS NOT NULL) AS issue
                    FROM shipment_boxes b JOIN orders o ON o.id = b.order_id
                    WHERE o.state IN ('packed', 'labelled') AND \(Self.boxLacksDocument(printed: false))
                      AND (NOT ?2 OR \(Self.boxReadyAtBench))
                      AND NOT \(Self.documentsWithheld("o"))
                    ORDER BY b.order_id, b.box_no LIMIT ?3
                    """,
                arguments: [slips, verifiedOnly, limit]
            ).map { ($0["order_id"], $0["box_no"], $0["issue"]) }
        }
    }

    /// SQL true for an order (`order` names its table or alias) whose documents must not print now,
    /// as the conflict rules withdraw an order's print jobs as a whole: it was cancelled (an
    /// intercept), another station owns it now, or a resplit made its plan stale (its lines changed
    /// after packing) and it waits for a person. The store refuses a print job recorded for it
    /// meanwhile (``insertPrintJob(_:now:)``), and the autopilot does not ask for one.
    static func documentsWithheld(_ order: String) -> String {
        """
        (\(order).state = 'cancelled' OR \(ownedElsewhere(order))
          OR EXISTS (SELECT 1 FROM conflicts stale WHERE stale.entity_id = \(order).id AND stale.rule = 'resplit'
                     AND stale.state = 'needs_person'))
        """
    }

    /// SQL true for an order (`order` names its table or alias) that the central API gives to
    /// another station (its `station_id`) or that another station claimed (its `claimed_by`), as
    /// the conflict rules read it (``OrderReconciliation``): it is packed there, not here.
    static func ownedElsewhere(_ order: String) -> String {
        """
        EXISTS (SELECT 1 FROM station here WHERE here.id = 1
                AND (\(order).station_id <> here.station_id OR \(order).claimed_by <> here.station_id))
        """
    }

    /// SQL true for an order (`order` names its table or alias) that a conflict holds for a person:
    /// the autopilot leaves it alone until someone decides.
    private static func heldForPerson(_ order: String) -> String {
        "EXISTS (SELECT 1 FROM conflicts c WHERE c.entity_id = \(order).id AND c.state = 'needs_person')"
    }

    /// SQL true for a shipment box `b` that lacks its box label's print job (or a printed one, when
    /// `printed`), or, when the first argument is true, its packing slip's. A reprint counts for
    /// the label it reprints.
    private static func boxLacksDocument(printed: Bool) -> String {
        func lacks(_ kind: String) -> String {
            """
            NOT EXISTS (SELECT 1 FROM labels l JOIN print_jobs p ON p.label_id = l.id OR p.reprint_of = l.id
                        WHERE l.order_id = b.order_id AND l.box_no = b.box_no AND l.kind = '\(kind)' AND l.replaced IS NULL\(printed ? " AND p.state = 'printed'" : ""))
            """
        }
        return "(\(lacks("box")) OR (?1 AND \(lacks("slip"))))"
    }

    /// Carrier labels of labelled orders that were not sent to a printer yet (none of an order whose
    /// documents are withheld, ``documentsWithheld(_:)``).
    public func carrierLabelsToPrint(limit: Int = 50) throws -> [LabelToPrint] {
        try read("list the carrier labels to print") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT c.id, c.order_id, c.data FROM carrier_labels c JOIN orders o ON o.id = c.order_id
                    WHERE o.state = 'labelled' AND NOT EXISTS (SELECT 1 FROM print_jobs p WHERE p.label_id = c.id)
                      AND c.id NOT IN (SELECT label_id FROM voided_labels)
                      AND NOT \(Self.documentsWithheld("o"))
                    ORDER BY c.order_id, c.id LIMIT ?
                    """,
                arguments: [limit]
            ).compactMap { row -> LabelToPrint? in
                let label = try Self.decode(CentralAPI.LabelData.self, row["data"], what: "carrier label \(row["id"] as String)")
                if label.format == "pdf", let base64 = label.pdfBase64, let data = Data(base64Encoded: base64) {
                    return LabelToPrint(
                        labelID: label.labelID,
                        orderID: label.orderID,
                        boxNo: label.boxNo,
                        kind: .carrier,
                        format: .pdf,
                        bytes: Array(data)
                    )
                }
                guard let zpl = label.zpl else { return nil }
                return LabelToPrint(
                    labelID: label.labelID,
                    orderID: label.orderID,
                    boxNo: label.boxNo,
                    kind: .carrier,
                    format: .zpl,
                    bytes: Array(zpl.utf8)
                )
            }
        }
    }

    /// Remembers which order and box a label belongs to, before it is spooled (idempotent).
    ///
    /// - Parameters:
    ///   - contentVersion: for a box label or slip, the order's content version it was rendered
    ///     from: when the order changed since (an address edit the sync applied meanwhile), nothing
    ///     is recorded, the document must not print, and the next round renders it anew.
    ///   - planRevision: for a box label or slip, the revision of the box plan it was rendered from:
    ///     when the boxes were planned again since (or its box is no longer in the plan), nothing is
    ///     recorded, as for `contentVersion`.
    /// - Returns: whether the label is recorded (now or before) and current (false for one recorded
    ///   before and replaced since).
    @discardableResult
    public func recordLabel(
        _ label: LabelToPrint,
        spoolPath: String? = nil,
        contentVersion: Int? = nil,
        planRevision: Int? = nil,
        now: Date = Date()
    ) throws -> Bool {
        try write("record label \(label.labelID)") { db in
            if let contentVersion {
                let current = try Int.fetchOne(db, sql: "SELECT content_version FROM orders WHERE id = ?", arguments: [label.orderID])
                guard current == contentVersion else { return false }
            }
            // A document issued again in the meantime (an address change, a re-plan) is not current any more.
            if try String.fetchOne(db, sql: "SELECT replaced FROM labels WHERE id = ?", arguments: [label.labelID]) != nil { return false }
            if let planRevision {
                let planned = try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM shipments s JOIN shipment_boxes b ON b.order_id = s.order_id
                                       WHERE s.order_id = ? AND s.revision = ? AND b.box_no = ?)
                        """,
                    arguments: [label.orderID, planRevision, label.boxNo]
                )
                guard planned == true else { return false }
            }
            try db.execute(
                sql: """
                    INSERT INTO labels (id, order_id, box_no, kind, format, spool_path, byte_count, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING
                    """,
                arguments: [
                    label.labelID, label.orderID, label.boxNo, label.kind.rawValue, label.format.rawValue, spoolPath, label.bytes.count,
                    now.timeIntervalSince1970,
                ]
            )
            return true
        }
    }

    /// Labelled orders that no conflict holds for a person, whose every box's (unvoided) carrier
    /// label, box label and (when `slips`) packing slip has printed: ready to hand to the carrier.
    public func ordersReadyToShip(slips: Bool, limit: Int = 50) throws -> [String] {
        try read("list the orders ready to ship") { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT o.id FROM orders o JOIN shipments s ON s.order_id = o.id
                    WHERE \(Self.readyToShip)
                    ORDER BY o.id LIMIT ?2
                    """,
                arguments: [slips, limit]
            )
        }
    }

    /// Ships `orderID`, with its `ship` outbox entry, if it is still ready as
    /// ``ordersReadyToShip(slips:limit:)`` lists it, in one transaction: a conflict the sync applied
    /// since the list was read (a relabel that voided its label, an intercept) keeps it here.
    ///
    /// - Returns: whether it shipped.
    public func shipIfReady(_ orderID: String, slips: Bool, now: Date = Date()) throws -> Bool {
        try write("ship order \(orderID)") { db in
            guard
                let version = try Int.fetchOne(
                    db,
                    sql: "SELECT o.version FROM orders o JOIN shipments s ON s.order_id = o.id WHERE o.id = ?2 AND \(Self.readyToShip)",
                    arguments: [slips, orderID]
                )
            else { return false }
            try db.execute(sql: "UPDATE orders SET state = 'shipped', updated_at = ? WHERE id = ?", arguments: [now.timeIntervalSince1970, orderID])
            _ = try Self.appendOperation(db, kind: .ship, entityID: orderID, baseVersion: version, payload: CentralAPI.EmptyPayload(), now: now)
            return true
        }
    }

    /// SQL true for an order `o` joined with its shipment `s` that is ready to ship (the first
    /// argument: whether packing slips print).
    private static var readyToShip: String {
        """
        o.state = 'labelled'
          AND NOT \(heldForPerson("o"))
          AND s.box_count = (SELECT count(DISTINCT l.box_no) FROM labels l JOIN print_jobs p ON p.label_id = l.id OR p.reprint_of = l.id
                              WHERE l.order_id = o.id AND l.kind = 'carrier' AND p.state = 'printed'
                                AND l.id NOT IN (SELECT label_id FROM voided_labels))
          AND NOT EXISTS (SELECT 1 FROM shipment_boxes b WHERE b.order_id = o.id AND \(boxLacksDocument(printed: true)))
        """
    }

    /// Whether a person paused the autonomous station mode (`waybill auto pause`).
    public func autoModePaused() throws -> Bool {
        try read("read the auto mode switch") { db in
            try String.fetchOne(db, sql: "SELECT value FROM sync_state WHERE key = 'auto.paused'") == "true"
        }
    }

    /// Pauses or resumes the autonomous station mode; it survives restarts.
    public func setAutoModePaused(_ paused: Bool, now: Date = Date()) throws {
        try write("switch the auto mode") { db in
            try db.execute(
                sql: """
                    INSERT INTO sync_state (key, value, updated_at) VALUES ('auto.paused', ?, ?)
                    ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                    """,
                arguments: [paused ? "true" : "false", now.timeIntervalSince1970]
            )
        }
    }
}
