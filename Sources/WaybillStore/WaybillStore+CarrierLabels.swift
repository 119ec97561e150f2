import Foundation
import GRDB
public import WaybillCore

/// A carrier label the station must buy: one box of an order whose label request the central API confirmed.
public struct LabelPurchaseDue: Sendable, Hashable {
    /// The idempotency key of the purchase: the label request's key and the box number, so a retry
    /// (after a crash or a lost answer) buys nothing twice.
    public let idempotencyKey: String
    public let purchase: CentralAPI.LabelPurchase
    /// Where the box goes, for providers that are sent the address (the hub knows it already);
    /// nil when the order's stored data does not hold one.
    public let shipTo: CentralAPI.Address?
    /// Whether the address is a home (carriers charge a surcharge).
    public let residential: Bool

    public init(idempotencyKey: String, purchase: CentralAPI.LabelPurchase, shipTo: CentralAPI.Address? = nil, residential: Bool = false) {
        self.idempotencyKey = idempotencyKey
        self.purchase = purchase
        self.shipTo = shipTo
        self.residential = residential
    }
}

extension WaybillStore {
    /// Boxes of labelled orders that have no (unvoided) carrier label yet, once their `label_request` is
    /// confirmed. A box whose label was voided gets a new key, so the central API sells a new label.
    /// An order whose lines changed after packing (an open resplit) waits for a person; one
    /// another station owns gets none (``documentsWithheld(_:)``).
    public func labelPurchasesDue(limit: Int = 50) throws -> [LabelPurchaseDue] {
        try read("list the carrier labels to buy") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT b.order_id, b.box_no, s.box_count, b.outer_dims, b.gross_lb, b.location, b.service, ord.data AS order_data,
                           (SELECT idempotency_key FROM outbox o
                             WHERE o.entity_id = b.order_id AND o.type = 'label_request' AND o.state = 'confirmed'
                             ORDER BY o.id DESC LIMIT 1) AS request_key,
                           (SELECT count(*) FROM voided_labels v
                             WHERE v.order_id = b.order_id
                               AND (EXISTS (SELECT 1 FROM carrier_labels c WHERE c.id = v.label_id AND json_extract(c.data, '$.box_no') = b.box_no)
                                    -- A provider's label is known by its attempt even after a client reset emptied carrier_labels.
                                    OR EXISTS (SELECT 1 FROM label_attempts a WHERE a.label_id = v.label_id AND a.box_no = b.box_no)))
                           -- A purchase given up before its answer came counts as a void: the box is bought anew.
                           + (SELECT count(*) FROM label_attempts a
                               WHERE a.order_id = b.order_id AND a.box_no = b.box_no AND a.abandoned IS NOT NULL) AS voided
                    FROM shipment_boxes b
                    JOIN shipments s ON s.order_id = b.order_id
                    JOIN orders ord ON ord.id = b.order_id
                    WHERE ord.state = 'labelled'
                      AND NOT EXISTS (SELECT 1 FROM carrier_labels c
                                       WHERE c.order_id = b.order_id AND json_extract(c.data, '$.box_no') = b.box_no
                                         AND c.id NOT IN (SELECT label_id FROM voided_labels))
                      AND request_key IS NOT NULL
                      -- A plan a resplit made stale (its lines changed) gets no label until a person decides,
                      -- and an order another station owns none at all.
                      AND NOT \(Self.documentsWithheld("ord"))
                    ORDER BY b.order_id, b.box_no
                    LIMIT ?
                    """,
                arguments: [limit]
            ).map { row in
                let dims = try Self.decode([Double].self, row["outer_dims"], what: "a box's outer dimensions")
                let order = try? Self.decode(CentralAPI.OrderData.self, row["order_data"], what: "an order")
                return LabelPurchaseDue(
                    idempotencyKey: "\(row["request_key"] as String).box\(row["box_no"] as Int)"
                        + ((row["voided"] as Int) > 0 ? ".v\(row["voided"] as Int)" : ""),
                    purchase: CentralAPI.LabelPurchase(
                        orderID: row["order_id"],
                        boxNo: row["box_no"],
                        boxCount: row["box_count"],
                        dims: dims,
                        weightLb: row["gross_lb"],
                        fromLocation: row["location"],
                        serviceLevel: row["service"],
                        format: "zpl"
                    ),
                    shipTo: order?.shipTo,
                    residential: order?.residential ?? false
                )
            }
        }
    }

    /// The carrier labels of `orderID` in the replica, voided ones included.
    public func carrierLabels(orderID: String) throws -> [CentralAPI.LabelData] {
        try read("list the carrier labels of order \(orderID)") { db in
            try String.fetchAll(db, sql: "SELECT data FROM carrier_labels WHERE order_id = ? ORDER BY id", arguments: [orderID]).map {
                try Self.decode(CentralAPI.LabelData.self, $0, what: "a carrier label of order \(orderID)")
            }
        }
    }
}
