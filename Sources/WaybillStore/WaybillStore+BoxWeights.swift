public import Foundation
import GRDB
public import WaybillCore

/// The latest weighing of a box at the bench.
public struct BoxWeight: Sendable, Hashable {
    public let boxNo: Int
    public let measuredLb: Double
    public let expectedLb: Double
    public let allowedLb: Double
    /// `scale` or `manual`.
    public let source: String
    public let verdict: WeightCheck.Verdict
    /// A supervisor's reason for accepting a mismatch.
    public let overrideReason: String?
    public let packer: String

    /// Whether the box's labels may print: its weight was within tolerance, or a mismatch was overridden.
    public var accepted: Bool { verdict.isWithin || overrideReason != nil }
}

/// How a box was weighed.
public enum WeightSource: String, Sendable {
    case scale, manual
}

extension WaybillStore {
    /// The heaviest box a bench weighs, in pounds: a typed weight above it is a typing mistake.
    public static let weighableLb = 0.001...2_000.0

    /// Records a verified box's weight with its `weigh` outbox entry, in one transaction, and
    /// judges it against the plan's expected gross weight.
    ///
    /// - Throws: ``StoreError`` `.invalidTransition` when the box is not verified yet (scan its items
    ///   first) or the order is not packed; `.invalidInput` for a weight outside ``weighableLb``.
    @discardableResult
    public func recordBoxWeight(
        orderID: String,
        boxNo: Int,
        measuredLb: Double,
        source: WeightSource,
        check: WeightCheck,
        packer: String,
        now: Date = Date()
    ) throws -> BoxWeight {
        guard Self.weighableLb.contains(measuredLb), measuredLb.isFinite else {
            throw StoreError(.invalidInput, "a box cannot weigh \(measuredLb) lb; put it on the scale again or type its weight in pounds")
        }
        return try write("record the weight of box \(boxNo) of order \(orderID)") { db in
            let (session, box) = try Self.verifiedBox(db, orderID: orderID, boxNo: boxNo)
            let verdict = check.judge(expectedLb: box.grossLb, measuredLb: measuredLb)
            let weight = BoxWeight(
                boxNo: boxNo,
                measuredLb: measuredLb,
                expectedLb: box.grossLb,
                allowedLb: check.allowedLb(expectedLb: box.grossLb),
                source: source.rawValue,
                verdict: verdict,
                overrideReason: nil,
                packer: packer
            )
            try Self.insert(db, weight, orderID: orderID, revision: session.shipment.revision, now: now)
            return weight
        }
    }

    /// A supervisor accepts the mismatched weight of a box, with a reason (kept, and sent in a
    /// `weigh` operation): its labels may then print.
    ///
    /// - Throws: ``StoreError`` `.invalidInput` without a reason; `.invalidTransition` when the box
    ///   has no mismatched weight to override.
    @discardableResult
    public func overrideBoxWeight(orderID: String, boxNo: Int, reason: String, packer: String, now: Date = Date()) throws -> BoxWeight {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard reason.count >= 3 else {
            throw StoreError(.invalidInput, "an override needs a reason a reviewer can read (at least 3 characters)")
        }
        return try write("override the weight of box \(boxNo) of order \(orderID)") { db in
            let (session, _) = try Self.verifiedBox(db, orderID: orderID, boxNo: boxNo)
            guard let latest = session.weights[boxNo], !latest.accepted else {
                throw StoreError(.invalidTransition, "box \(boxNo) of order \(orderID) has no weight mismatch to override; weigh it first")
            }
            let weight = BoxWeight(
                boxNo: boxNo,
                measuredLb: latest.measuredLb,
                expectedLb: latest.expectedLb,
                allowedLb: latest.allowedLb,
                source: latest.source,
                verdict: latest.verdict,
                overrideReason: String(reason.prefix(500)),
                packer: packer
            )
            try Self.insert(db, weight, orderID: orderID, revision: session.shipment.revision, now: now)
            return weight
        }
    }

    /// The session and planned box of a verified box of a packed order.
    private static func verifiedBox(_ db: Database, orderID: String, boxNo: Int) throws -> (PackSession, PlannedBox) {
        let session = try packSession(db, orderID: orderID)
        guard session.state == .packed else {
            throw StoreError(.invalidTransition, "order \(orderID) is \(session.state.rawValue); only a packed order is weighed at the bench")
        }
        guard let box = session.shipment.boxes.first(where: { $0.boxNo == boxNo }),
            let verified = session.verification.boxes.first(where: { $0.number == boxNo })
        else {
            throw StoreError(.notFound, "order \(orderID) has no box \(boxNo)")
        }
        guard verified.isComplete else {
            throw StoreError(
                .invalidTransition,
                "box \(boxNo) of order \(orderID) is not verified yet: scan its \(verified.expectedUnits - verified.countedUnits) missing unit(s) first"
            )
        }
        return (session, box)
    }

    private static func insert(_ db: Database, _ weight: BoxWeight, orderID: String, revision: Int, now: Date) throws {
        try db.execute(
            sql: """
                INSERT INTO box_weights (order_id, revision, box_no, measured_lb, expected_lb, allowed_lb, source, verdict,
                                         override_reason, packer, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                orderID, revision, weight.boxNo, weight.measuredLb, weight.expectedLb, weight.allowedLb, weight.source,
                weight.verdict.isWithin ? "within" : "mismatch", weight.overrideReason, weight.packer, now.timeIntervalSince1970,
            ]
        )
        let payload = CentralAPI.WeighPayload(
            boxNo: weight.boxNo,
            measuredLb: weight.measuredLb,
            expectedLb: weight.expectedLb,
            allowedLb: weight.allowedLb,
            source: weight.source,
            verdict: weight.verdict.isWithin ? "within" : "mismatch",
            overrideReason: weight.overrideReason,
            packer: weight.packer
        )
        _ = try appendOperation(
            db,
            kind: .weigh,
            entityID: orderID,
            baseVersion: nil,
            payload: payload,
            now: now
        )
    }

    /// The latest weighing of each box of a plan revision.
    static func boxWeights(_ db: Database, orderID: String, revision: Int) throws -> [Int: BoxWeight] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM box_weights WHERE id IN (
                    SELECT max(id) FROM box_weights WHERE order_id = ? AND revision = ? GROUP BY box_no)
                """,
            arguments: [orderID, revision]
        )
        var weights: [Int: BoxWeight] = [:]
        for row in rows {
            let measured: Double = row["measured_lb"]
            let expected: Double = row["expected_lb"]
            let allowed: Double = row["allowed_lb"]
            let verdict: WeightCheck.Verdict =
                row["verdict"] == "within"
                ? .within(differenceLb: measured - expected) : .mismatch(differenceLb: measured - expected, allowedLb: allowed)
            weights[row["box_no"]] = BoxWeight(
                boxNo: row["box_no"],
                measuredLb: measured,
                expectedLb: expected,
                allowedLb: allowed,
                source: row["source"],
                verdict: verdict,
                overrideReason: row["override_reason"],
                packer: row["packer"]
            )
        }
        return weights
    }

    /// SQL true for a shipment box `b` verified at the bench (every unit counted in the current plan
    /// revision) whose latest weight was within tolerance or overridden: its labels may print.
    static let boxReadyAtBench = """
        ((SELECT ifnull(sum(e.units), 0) FROM pack_events e
          WHERE e.order_id = b.order_id AND e.box_no = b.box_no
            AND e.revision = (SELECT revision FROM shipments WHERE order_id = b.order_id)) >= json_array_length(b.items)
         AND EXISTS (SELECT 1 FROM box_weights w
          WHERE w.id = (SELECT max(id) FROM box_weights w2 WHERE w2.order_id = b.order_id AND w2.box_no = b.box_no
                          AND w2.revision = (SELECT revision FROM shipments WHERE order_id = b.order_id))
            AND (w.verdict = 'within' OR w.override_reason IS NOT NULL)))
        """
}
