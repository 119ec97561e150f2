public import Foundation
import GRDB
public import WaybillCore

/// One recorded gesture at the bench.
public struct PackEvent: Sendable, Hashable {
    public let seq: Int
    public let boxNo: Int?
    public let gesture: PackGesture
    public let outcome: String
    public let packer: String
    public let at: Date
}

/// An order at the bench: what was planned, what has been verified, and by whom.
public struct PackSession: Sendable {
    public let order: CentralAPI.OrderData
    public let state: OrderState
    public let shipment: Shipment
    /// The SKUs of the order's lines.
    public let skus: [String: CentralAPI.SKUData]
    /// The plan's verification, replayed from ``events``.
    public let verification: PackVerification
    /// The gestures of the current plan revision, oldest first.
    public let events: [PackEvent]
    /// The latest weighing of each box (by box number) of the current plan revision.
    public let weights: [Int: BoxWeight]
    /// The print state of each box's documents, by box number and kind (`box`, `slip`, `carrier`):
    /// `printed`, `spooled`, `held`, …, or absent before it was queued.
    public let documents: [Int: [String: String]]
}

/// What ``WaybillStore/recordPackGesture(orderID:gesture:packer:now:)`` did.
public struct PackStep: Sendable {
    public let outcome: PackOutcome
    /// The sentence the packer reads.
    public let message: String
    /// The session after the gesture.
    public let session: PackSession
    /// The `verify` operation recorded with it.
    public let operation: OutboxOperation
}

extension WaybillStore {
    /// The longest scan text kept: longer scans are refused as unreadable and recorded cut.
    static let packTextLimit = 64

    /// An order's plan and its verification at the bench.
    ///
    /// - Throws: ``StoreError`` `.notFound` for an order the replica lacks, `.invalidTransition` for
    ///   one without a box plan (plan it first).
    public func packSession(orderID: String) throws -> PackSession {
        try read("read the bench state of order \(orderID)") { db in try Self.packSession(db, orderID: orderID) }
    }

    /// Records one gesture of a packer with its outcome and its `verify` outbox entry, in one
    /// transaction, and returns what it did. A refused gesture is recorded too: the centre sees the
    /// mistakes caught at the bench.
    ///
    /// - Throws: ``StoreError`` `.notFound` / `.invalidTransition` as ``packSession(orderID:)``, and
    ///   `.invalidTransition` for an order that is no longer packed (labelled, shipped or cancelled).
    @discardableResult
    public func recordPackGesture(orderID: String, gesture: PackGesture, packer: String, now: Date = Date()) throws -> PackStep {
        let gesture = Self.bounded(gesture)
        return try write("record a bench scan of order \(orderID)") { db in
            let session = try Self.packSession(db, orderID: orderID)
            guard session.state == .packed else {
                let why =
                    switch session.state {
                    case .labelled, .shipped: "every box was verified and weighed and its labels print; there is nothing left to scan"
                    case .cancelled: "it was cancelled: do not ship it, put its items back"
                    case .assigned, .claimed, .packed: "only a planned order is verified at the bench; open it from the queue"
                    }
                throw StoreError(.invalidTransition, "order \(orderID) is \(session.state.rawValue): \(why)")
            }
            var verification = session.verification
            if case .scan(let code) = gesture, !verification.knows(code), let sku = try Self.sku(db, barcode: code) {
                verification.learn(sku)
            }
            let openBox = verification.openBoxIndex.map { verification.boxes[$0].number }
            let outcome = verification.apply(gesture)
            let message = verification.message(for: outcome)
            let seq = (session.events.last?.seq ?? 0) + 1
            try db.execute(
                sql: """
                    INSERT INTO pack_events (order_id, revision, seq, box_no, gesture, text, sku, units, outcome, packer, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    orderID, session.shipment.revision, seq, openBox, gesture.kind, gesture.text, outcome.sku, outcome.units, outcome.code,
                    packer, now.timeIntervalSince1970,
                ]
            )
            let payload = CentralAPI.VerifyPayload(
                boxNo: openBox,
                gesture: gesture.kind,
                text: gesture.text,
                sku: outcome.sku,
                units: outcome.units,
                outcome: outcome.code,
                packer: packer
            )
            let operation = try Self.appendOperation(
                db,
                kind: .verify,
                entityID: orderID,
                baseVersion: nil,
                payload: payload,
                now: now
            )
            let event = PackEvent(seq: seq, boxNo: openBox, gesture: gesture, outcome: outcome.code, packer: packer, at: now)
            let after = PackSession(
                order: session.order,
                state: session.state,
                shipment: session.shipment,
                skus: session.skus,
                verification: verification,
                events: session.events + [event],
                weights: session.weights,
                documents: session.documents
            )
            return PackStep(outcome: outcome, message: message, session: after, operation: operation)
        }
    }

    /// A gesture whose text fits the record: a scan longer than ``packTextLimit`` is cut (and is
    /// refused as unreadable all the same, since it cannot be a barcode of ours).
    static func bounded(_ gesture: PackGesture) -> PackGesture {
        switch gesture {
        case .scan(let code) where code.count > packTextLimit: .scan(String(code.prefix(packTextLimit + 1)))
        case .byHand(let sku) where sku.count > packTextLimit: .byHand(sku: String(sku.prefix(packTextLimit + 1)))
        default: gesture
        }
    }

    /// The SKU of the replica that has `barcode` (or that id), for naming a wrong item.
    static func sku(_ db: Database, barcode: String) throws -> CentralAPI.SKUData? {
        let code = barcode.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !code.isEmpty, code.count <= packTextLimit else { return nil }
        let unpadded = GTIN.isValid(code) ? String(code.drop { $0 == "0" }) : code
        let text = try String.fetchOne(
            db,
            sql: """
                SELECT data FROM skus WHERE id = ?1 OR EXISTS (
                    SELECT 1 FROM json_each(skus.data, '$.barcodes') b WHERE ltrim(json_extract(b.value, '$.code'), '0') = ?2)
                LIMIT 1
                """,
            arguments: [code, unpadded]
        )
        return try text.map { try decode(CentralAPI.SKUData.self, $0, what: "SKU with barcode \(code)") }
    }

    static func packSession(_ db: Database, orderID: String) throws -> PackSession {
        guard let row = try Row.fetchOne(db, sql: "SELECT state, data FROM orders WHERE id = ?", arguments: [orderID]) else {
            throw StoreError(.notFound, "order \(orderID) is not in the replica; run `waybill sync` or check the order number")
        }
        let order = try decode(CentralAPI.OrderData.self, row["data"], what: "order \(orderID)")
        guard let state = OrderState(rawValue: row["state"]) else {
            throw StoreError(.database, "order \(orderID) has an unknown state '\(row["state"] as String)'")
        }
        guard let plan = try String.fetchOne(db, sql: "SELECT plan FROM shipments WHERE order_id = ?", arguments: [orderID]) else {
            throw StoreError(.invalidTransition, "order \(orderID) has no box plan yet; open it at the station to plan it")
        }
        let shipment = try decode(Shipment.self, plan, what: "the plan of order \(orderID)")
        var skus: [String: CentralAPI.SKUData] = [:]
        for line in order.lines where skus[line.sku] == nil {
            if let text = try String.fetchOne(db, sql: "SELECT data FROM skus WHERE id = ?", arguments: [line.sku]) {
                skus[line.sku] = try decode(CentralAPI.SKUData.self, text, what: "SKU \(line.sku)")
            }
        }
        var verification = PackVerification(
            order: order,
            boxes: shipment.boxes.map { .init(number: $0.boxNo, boxID: $0.boxID, itemIDs: $0.items.map(\.id)) },
            skus: skus
        )
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT seq, box_no, gesture, text, sku, units, outcome, packer, created_at FROM pack_events
                WHERE order_id = ? AND revision = ? ORDER BY seq
                """,
            arguments: [orderID, shipment.revision]
        )
        var events: [PackEvent] = []
        for row in rows {
            let outcome: String = row["outcome"]
            if let box = row["box_no"] as Int?, let sku = row["sku"] as String?, let units = row["units"] as Int?, units > 0,
                ["counted", "box_closed", "order_complete"].contains(outcome)
            {
                verification.replay(sku: sku, units: units, box: box)
            }
            let text: String = row["text"]
            let gesture: PackGesture = row["gesture"] == "hand" ? .byHand(sku: text) : .scan(text)
            events.append(
                PackEvent(
                    seq: row["seq"],
                    boxNo: row["box_no"],
                    gesture: gesture,
                    outcome: outcome,
                    packer: row["packer"],
                    at: Date(timeIntervalSince1970: row["created_at"])
                )
            )
        }
        let weights = try boxWeights(db, orderID: orderID, revision: shipment.revision)
        // At the bench a box closes when it is weighed: the next box's units count only then.
        verification.closesBoxes = true
        verification.closedBoxes = Set(weights.values.filter(\.accepted).map(\.boxNo))
        var documents: [Int: [String: String]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT l.box_no, l.kind, (SELECT p.state FROM print_jobs p WHERE p.label_id = l.id OR p.reprint_of = l.id
                                          ORDER BY p.state = 'printed' DESC, p.updated_at DESC LIMIT 1) AS state
                FROM labels l WHERE l.order_id = ? AND l.box_no IS NOT NULL
                  -- The parcel's documents: not those a relabel replaced or voided.
                  AND l.replaced IS NULL AND l.id NOT IN (SELECT label_id FROM voided_labels)
                """,
            arguments: [orderID]
        ) {
            guard let box = row["box_no"] as Int?, let state = row["state"] as String? else { continue }
            documents[box, default: [:]][row["kind"]] = state
        }
        return PackSession(
            order: order,
            state: state,
            shipment: shipment,
            skus: skus,
            verification: verification,
            events: events,
            weights: weights,
            documents: documents
        )
    }
}

/// One order of the station's pack queue.
public struct BenchOrder: Sendable, Hashable {
    public let id: String
    public let reference: String
    public let state: OrderState
    /// The customer's name as on the address (customer text: escape it).
    public let shipToName: String
    public let units: Int
    /// Boxes of its plan (0 before planning).
    public let boxes: Int
    /// Units counted at the bench for the current plan.
    public let verifiedUnits: Int
    /// Conflicts about it that need a person.
    public let openConflicts: Int
}

extension WaybillStore {
    /// The orders a packer has to pack (assigned, claimed or packed and not yet labelled), the one
    /// that reached the replica first first; none another station owns (``ownedElsewhere(_:)``).
    public func benchQueue(limit: Int = 200) throws -> [BenchOrder] {
        try read("read the pack queue") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT o.id, o.state,
                           ifnull(json_extract(o.data, '$.reference'), '') AS reference,
                           ifnull(json_extract(o.data, '$.ship_to.name'), '') AS name,
                           ifnull((SELECT sum(json_extract(l.value, '$.quantity')) FROM json_each(o.data, '$.lines') l), 0) AS units,
                           ifnull(s.box_count, 0) AS boxes,
                           ifnull((SELECT sum(e.units) FROM pack_events e WHERE e.order_id = o.id AND e.revision = s.revision), 0) AS verified,
                           (SELECT count(*) FROM conflicts c WHERE c.entity_id = o.id AND c.state = 'needs_person') AS open_conflicts
                    FROM orders o LEFT JOIN shipments s ON s.order_id = o.id
                    WHERE o.state IN ('assigned', 'claimed', 'packed') AND NOT \(Self.ownedElsewhere("o"))
                    ORDER BY o.rowid LIMIT ?
                    """,
                arguments: [limit]
            ).compactMap { row in
                guard let state = OrderState(rawValue: row["state"]) else { return nil }
                return BenchOrder(
                    id: row["id"],
                    reference: row["reference"],
                    state: state,
                    shipToName: row["name"],
                    units: row["units"],
                    boxes: row["boxes"],
                    verifiedUnits: row["verified"],
                    openConflicts: row["open_conflicts"]
                )
            }
        }
    }

    /// The order a scanned code opens: an order id, or the id of a document printed for it (a
    /// packing slip or box label, `PS-…` / `BX-…`). Nil when nothing matches.
    public func orderID(forScan code: String) throws -> String? {
        let code = code.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !code.isEmpty, code.count <= Self.packTextLimit else { return nil }
        return try read("find the order of a scan") { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT id FROM orders WHERE id = ?1
                    UNION ALL SELECT order_id FROM labels WHERE id = upper(?1)
                    UNION ALL SELECT id FROM orders WHERE upper(id) = upper(?1) OR json_extract(data, '$.reference') = ?1
                    LIMIT 1
                    """,
                arguments: [code]
            )
        }
    }
}
