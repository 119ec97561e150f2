public import Foundation
import GRDB
public import WaybillCore

/// What the replica knows that planning an order's boxes needs.
public struct PackingInputs: Sendable {
    public let order: CentralAPI.OrderData
    /// The order's central version and the station's state of it.
    public let version: Int
    public let state: OrderState
    /// The SKUs of the order's lines, by id (a SKU the replica lacks is absent).
    public let skus: [String: CentralAPI.SKUData]
    public let boxes: [CentralAPI.BoxData]
    public let rules: CentralAPI.RulesData?
    /// The synced rate table and its version, when the replica has one.
    public let rates: RateModel?
    public let rateTableVersion: Int?
}

extension WaybillStore {
    /// The order, its SKUs, the box catalog, the rules and the rate table, read in one snapshot.
    ///
    /// - Throws: ``StoreError`` `.notFound` when the replica lacks the order, `.database` when stored JSON does not decode.
    public func packingInputs(orderID: String) throws -> PackingInputs {
        try read("read what planning order \(orderID) needs") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT version, state, data FROM orders WHERE id = ?", arguments: [orderID]) else {
                throw StoreError(.notFound, "order \(orderID) is not in the replica; run `waybill sync` and try again")
            }
            let order = try Self.decode(CentralAPI.OrderData.self, row["data"], what: "order \(orderID)")
            guard let state = OrderState(rawValue: row["state"]) else {
                throw StoreError(.database, "order \(orderID) has an unknown state '\(row["state"] as String)'")
            }
            var skus: [String: CentralAPI.SKUData] = [:]
            for line in order.lines where skus[line.sku] == nil {
                if let text = try String.fetchOne(db, sql: "SELECT data FROM skus WHERE id = ?", arguments: [line.sku]) {
                    skus[line.sku] = try Self.decode(CentralAPI.SKUData.self, text, what: "SKU \(line.sku)")
                }
            }
            let boxes = try String.fetchAll(db, sql: "SELECT data FROM boxes ORDER BY id").map {
                try Self.decode(CentralAPI.BoxData.self, $0, what: "a box")
            }
            let rules = try String.fetchOne(db, sql: "SELECT data FROM rules ORDER BY id LIMIT 1").map {
                try Self.decode(CentralAPI.RulesData.self, $0, what: "the rules")
            }
            let rateRow = try Row.fetchOne(db, sql: "SELECT version, data FROM rate_tables ORDER BY id LIMIT 1")
            let rates = try rateRow.map { try Self.decode(RateModel.self, $0["data"], what: "the rate table") }
            return PackingInputs(
                order: order,
                version: row["version"],
                state: state,
                skus: skus,
                boxes: boxes,
                rules: rules,
                rates: rates,
                rateTableVersion: rateRow?["version"]
            )
        }
    }

    /// Stores an order's box plan and records it in the outbox, in one transaction: an assigned
    /// order is claimed and packed (two operations), a claimed one packed; a packed one is re-planned
    /// only with `replan` and while it has no live carrier label (a new revision, another `pack`
    /// operation): its box labels and slips are replaced (their unprinted jobs withdrawn), and the
    /// new plan's print in their place. This is how a resplit (lines changed after packing) is
    /// finished before its conflict is resolved.
    ///
    /// - Throws: ``StoreError`` `.notFound` for an order the replica lacks; `.invalidTransition` when
    ///   the order cannot be (re-)packed, saying why (also when another station owns it now).
    @discardableResult
    public func recordShipment(
        orderID: String,
        boxes: [PlannedBox],
        plannedBy: String,
        replan: Bool = false,
        now: Date = Date()
    ) throws -> (shipment: Shipment, operations: [OutboxOperation]) {
        try write("store the box plan of order \(orderID)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT state, version FROM orders WHERE id = ?", arguments: [orderID]) else {
                throw StoreError(.notFound, "order \(orderID) is not in the replica; run `waybill sync` and try again")
            }
            guard !boxes.isEmpty else { throw StoreError(.invalidTransition, "a plan for order \(orderID) needs at least one box") }
            if let owner = try String.fetchOne(
                db,
                sql: """
                    SELECT ifnull(nullif(o.claimed_by, (SELECT station_id FROM station WHERE id = 1)), o.station_id)
                    FROM orders o WHERE o.id = ? AND \(Self.ownedElsewhere("o"))
                    """,
                arguments: [orderID]
            ) {
                throw StoreError(.invalidTransition, "order \(orderID) belongs to \(owner) now: it is packed there, not at this station")
            }
            let stateText: String = row["state"]
            let version: Int = row["version"]
            let previous = try Int.fetchOne(db, sql: "SELECT revision FROM shipments WHERE order_id = ?", arguments: [orderID])
            var operations: [OutboxOperation] = []
            switch OrderState(rawValue: stateText) {
            case .assigned?:
                operations.append(
                    try Self.transition(
                        db,
                        orderID: orderID,
                        to: .claimed,
                        kind: .claim,
                        version: version,
                        payload: CentralAPI.EmptyPayload(),
                        now: now
                    )
                )
            case .claimed?:
                break
            case .packed?:
                guard replan else {
                    throw StoreError(.invalidTransition, "order \(orderID) is already packed; add --replan to plan its boxes again")
                }
                let carrierLabelled =
                    try Bool.fetchOne(
                        db,
                        sql: """
                            SELECT EXISTS (SELECT 1 FROM labels WHERE order_id = ?1 AND kind = 'carrier'
                                           AND id NOT IN (SELECT label_id FROM voided_labels))
                                OR EXISTS (SELECT 1 FROM carrier_labels WHERE order_id = ?1
                                           AND id NOT IN (SELECT label_id FROM voided_labels))
                            """,
                        arguments: [orderID]
                    ) ?? false
                guard !carrierLabelled else {
                    throw StoreError(.invalidTransition, "order \(orderID) already has carrier labels; void them before planning its boxes again")
                }
                // The box labels and slips printed so far show the old plan's boxes: their jobs not yet
                // printed are withdrawn, and they are replaced by the new plan's (under new ids).
                let cause = "\(Self.replannedCause) (revision \((previous ?? 0) + 1))"
                try Self.replaceBoxDocuments(
                    db,
                    orderID: orderID,
                    cause: cause,
                    reason: "withdrawn: \(cause); the new plan's box labels and slips print in its place",
                    now: now
                )
            default:
                throw StoreError(
                    .invalidTransition,
                    "order \(orderID) is \(stateText); only assigned, claimed or (with --replan) packed orders can be planned"
                )
            }
            let total = boxes.reduce(0) { $0 + $1.postage + $1.materialCost }
            let shipment = Shipment(orderID: orderID, revision: (previous ?? 0) + 1, boxes: boxes, totalCost: total, plannedBy: plannedBy)
            let plan = String(decoding: try Self.encoder.encode(shipment), as: UTF8.self)
            try db.execute(sql: "DELETE FROM shipments WHERE order_id = ?", arguments: [orderID])
            try db.execute(
                sql: """
                    INSERT INTO shipments (order_id, revision, box_count, total_cost, planned_by, plan, planned_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [orderID, shipment.revision, boxes.count, total, plannedBy, plan, now.timeIntervalSince1970]
            )
            for box in boxes {
                try db.execute(
                    sql: """
                        INSERT INTO shipment_boxes (order_id, box_no, box_id, outer_dims, location, service, zone, gross_lb, billable_lb,
                                                    postage, material_cost, items)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        orderID, box.boxNo, box.boxID, String(decoding: try Self.encoder.encode(box.outerDims), as: UTF8.self), box.location,
                        box.service, box.zone, box.grossLb, box.billableLb, box.postage, box.materialCost,
                        String(decoding: try Self.encoder.encode(box.items), as: UTF8.self),
                    ]
                )
            }
            if OrderState(rawValue: stateText) == .packed {
                operations.append(
                    try Self.appendOperation(db, kind: .pack, entityID: orderID, baseVersion: version, payload: shipment, now: now)
                )
            } else {
                operations.append(
                    try Self.transition(db, orderID: orderID, to: .packed, kind: .pack, version: version, payload: shipment, now: now)
                )
            }
            return (shipment, operations)
        }
    }

    /// Why box documents were replaced when their order's boxes were planned again (`labels.replaced`
    /// starts with it, then names the new revision).
    static let replannedCause = "the boxes were planned again"

    /// The stored plan of an order, or `nil` before it was planned.
    public func shipment(orderID: String) throws -> Shipment? {
        try read("read the box plan of order \(orderID)") { db in
            try String.fetchOne(db, sql: "SELECT plan FROM shipments WHERE order_id = ?", arguments: [orderID]).map {
                try Self.decode(Shipment.self, $0, what: "the plan of order \(orderID)")
            }
        }
    }

    private static func transition(
        _ db: Database,
        orderID: String,
        to next: OrderState,
        kind: OperationKind,
        version: Int,
        payload: some OperationPayload,
        now: Date
    ) throws -> OutboxOperation {
        try db.execute(
            sql: "UPDATE orders SET state = ?, updated_at = ? WHERE id = ?",
            arguments: [next.rawValue, now.timeIntervalSince1970, orderID]
        )
        return try appendOperation(db, kind: kind, entityID: orderID, baseVersion: version, payload: payload, now: now)
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static func decode<T: Decodable>(_ type: T.Type, _ text: String, what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError(.database, "the replica's copy of \(what) does not decode (\(error)); run `waybill resync`")
        }
    }
}
