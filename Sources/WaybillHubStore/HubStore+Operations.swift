import Crypto
public import Foundation
import GRDB
public import WaybillCore

extension HubStore {
    /// Applies a batch of operations from `stationID`, in order, in one transaction.
    ///
    /// Each operation is answered once: applied, conflict or rejected, and that answer is stored with
    /// the station's last sequence number and the ledger entry of its effect, so a repeated
    /// idempotency key is answered `duplicate` with the original answer, provided it asks for the same
    /// thing (the digest of ``WaybillCore/CentralAPI/Operation/canonicalRequest()``); a key reused for
    /// something else is `rejected` with `idempotency_key_reused` and applies nothing. An operation
    /// whose `seq` is not the next of its (station, epoch) stops the batch with a `seq_gap` error;
    /// nothing after it is applied.
    public func apply(_ operations: [CentralAPI.Operation], stationID: String, now: Date = Date()) throws
        -> CentralAPI.OperationBatchResult
    {
        try writer.write { db in
            var results: [CentralAPI.OperationResult] = []
            for operation in operations {
                guard operation.stationID == stationID else {
                    results.append(Self.answer(operation, .rejected, reason: "station_mismatch"))
                    try Self.recordDelivery(db, operation, stationID: stationID, outcome: .refused, reason: "station_mismatch", now: now)
                    continue
                }
                let last =
                    try Int.fetchOne(
                        db,
                        sql: "SELECT last_seq FROM station_sequences WHERE station_id = ? AND epoch = ?",
                        arguments: [stationID, operation.epoch]
                    ) ?? 0
                let request = try operation.canonicalRequest()
                let digest = Self.hex(Array(SHA256.hash(data: request)))
                if let stored = try Row.fetchOne(
                    db,
                    sql: "SELECT result, request_sha256 FROM operation_results WHERE station_id = ? AND idempotency_key = ?",
                    arguments: [stationID, operation.idempotencyKey]
                ) {
                    // A replay under a new epoch (after a client reset) takes its place in that epoch's sequence.
                    if operation.seq == last + 1 { try Self.advance(db, stationID: stationID, epoch: operation.epoch, to: operation.seq) }
                    if let original = stored["request_sha256"] as String?, original != digest {
                        results.append(Self.answer(operation, .rejected, reason: "idempotency_key_reused"))
                        try Self.recordDelivery(db, operation, stationID: stationID, outcome: .refused, reason: "idempotency_key_reused", now: now)
                        continue
                    }
                    var original = try Self.decode(CentralAPI.OperationResult.self, stored["result"] as String)
                    original.originalStatus = original.status
                    original.status = .duplicate
                    original.seq = operation.seq
                    results.append(original)
                    try Self.recordDelivery(db, operation, stationID: stationID, outcome: .duplicate, now: now)
                    continue
                }
                guard operation.seq == last + 1 else {
                    let gap = CentralAPI.ErrorBody(
                        code: "seq_gap",
                        message: "operation seq \(operation.seq) of epoch \(operation.epoch) is not the next one; expected seq \(last + 1). "
                            + "Send the missing operations first; nothing from seq \(operation.seq) on was applied.",
                        details: [
                            "epoch": .number(Double(operation.epoch)), "expected_seq": .number(Double(last + 1)),
                            "received_seq": .number(Double(operation.seq)),
                        ]
                    )
                    return CentralAPI.OperationBatchResult(results: results, error: gap)
                }
                let result = try Self.applyOne(db, operation, request: request, now: now)
                try Self.advance(db, stationID: stationID, epoch: operation.epoch, to: operation.seq)
                try db.execute(
                    sql: "INSERT INTO operation_results (station_id, idempotency_key, result, request_sha256) VALUES (?, ?, ?, ?)",
                    arguments: [stationID, operation.idempotencyKey, try Self.json(result), digest]
                )
                if result.status == .applied {
                    try Self.appendLedger(
                        db,
                        stationID: stationID,
                        epoch: operation.epoch,
                        seq: operation.seq,
                        key: operation.idempotencyKey,
                        type: operation.type,
                        entityID: operation.entityID,
                        version: result.version,
                        now: now
                    )
                }
                try Self.recordDelivery(
                    db,
                    operation,
                    stationID: stationID,
                    outcome: result.status == .applied ? .applied : .refused,
                    reason: result.status == .applied ? nil : result.reason,
                    now: now
                )
                results.append(result)
            }
            return CentralAPI.OperationBatchResult(results: results)
        }
    }

    private static func recordDelivery(
        _ db: Database,
        _ operation: CentralAPI.Operation,
        stationID: String,
        outcome: Delivery.Outcome,
        reason: String? = nil,
        now: Date
    ) throws {
        try appendDelivery(
            db,
            Delivery(
                stationID: stationID,
                epoch: operation.epoch,
                seq: operation.seq,
                idempotencyKey: operation.idempotencyKey,
                type: operation.type,
                entityID: operation.entityID,
                outcome: outcome,
                reason: reason
            ),
            now: now
        )
    }

    private static func advance(_ db: Database, stationID: String, epoch: Int, to seq: Int) throws {
        try db.execute(
            sql: """
                INSERT INTO station_sequences (station_id, epoch, last_seq) VALUES (?, ?, ?)
                ON CONFLICT(station_id, epoch) DO UPDATE SET last_seq = excluded.last_seq
                """,
            arguments: [stationID, epoch, seq]
        )
    }

    static func answer(
        _ operation: CentralAPI.Operation,
        _ status: CentralAPI.OperationStatus,
        version: Int? = nil,
        reason: String? = nil,
        entity: JSONValue? = nil
    ) -> CentralAPI.OperationResult {
        CentralAPI.OperationResult(
            seq: operation.seq,
            idempotencyKey: operation.idempotencyKey,
            status: status,
            version: version,
            reason: reason,
            entity: entity
        )
    }

    /// Applies one operation; `request` is its canonical request, which holds the payload to check.
    private static func applyOne(
        _ db: Database,
        _ operation: CentralAPI.Operation,
        request: Data,
        now: Date
    ) throws -> CentralAPI.OperationResult {
        guard let kind = OperationKind(rawValue: operation.type) else {
            return answer(operation, .rejected, reason: "unknown_type")
        }
        // The payload must be the contract's payload of its type.
        guard let payload = try? kind.decodePayload(fromRequest: request) else {
            return answer(operation, .rejected, reason: "invalid_payload")
        }
        if kind == .stockDelta {
            guard let delta = payload as? CentralAPI.StockDeltaPayload else { return answer(operation, .rejected, reason: "invalid_payload") }
            return try applyStockDelta(db, operation, delta)
        }
        guard let (version, order) = try? loadOrder(db, id: operation.entityID) else {
            return answer(operation, .rejected, reason: "unknown_entity")
        }
        func conflict(_ reason: String) throws -> CentralAPI.OperationResult {
            // The order as the hub holds it, for the station's conflict: read only when there is one.
            let current = try JSONDecoder().decode(JSONValue.self, from: Data(try json(order).utf8))
            return answer(operation, .conflict, version: version, reason: reason, entity: current)
        }
        // An order is the station's when assigned to it, or when it sits in the warehouse pool.
        guard order.stationID == nil || order.stationID == operation.stationID else { return try conflict("assigned_elsewhere") }
        let state = OrderState(rawValue: order.state)
        switch kind {
        case .printed, .reprint, .voidLabel, .resolveConflict:
            return answer(operation, .applied, version: version)
        case .weigh, .verify:
            return state == .cancelled ? try conflict("order_cancelled") : answer(operation, .applied, version: version)
        case .claim, .pack, .labelRequest, .ship:
            guard let target = kind.resultingOrderState, let state else { return answer(operation, .rejected, reason: "invalid_transition") }
            if state == .cancelled { return try conflict("order_cancelled") }
            if let claimer = order.claimedBy, claimer != operation.stationID { return try conflict("claimed_by_other") }
            if kind != .claim, let base = operation.baseVersion, base < order.contentVersion { return try conflict("order_edited") }
            if state == target { return answer(operation, .applied, version: version) }
            guard state.accepts(kind) else { return answer(operation, .rejected, reason: "invalid_transition") }
            var updated = order
            updated.state = target.rawValue
            if kind == .claim { updated.claimedBy = operation.stationID }
            return answer(operation, .applied, version: try saveOrder(db, updated))
        case .stockDelta:
            // Applied above, before an order is looked up.
            return answer(operation, .rejected, reason: "invalid_payload")
        }
    }

    /// Stock moves are deltas: they never conflict; going below zero is applied and flagged.
    private static func applyStockDelta(
        _ db: Database,
        _ operation: CentralAPI.Operation,
        _ payload: CentralAPI.StockDeltaPayload
    ) throws -> CentralAPI.OperationResult {
        let id = "\(payload.sku)@\(payload.location)"
        var stock = CentralAPI.StockData(sku: payload.sku, location: payload.location, quantity: 0)
        if let text = try String.fetchOne(db, sql: "SELECT data FROM entities WHERE entity = 'stock' AND id = ?", arguments: [id]) {
            stock = try decode(CentralAPI.StockData.self, text)
        }
        // A quantity the contract does not allow would be quarantined by every station.
        let (quantity, overflow) = stock.quantity.addingReportingOverflow(payload.delta)
        guard !overflow, CentralLimits.stockQuantity.contains(quantity), CentralIdentifier.problem(payload.sku) == nil,
            CentralIdentifier.problem(id) == nil
        else {
            return answer(operation, .rejected, reason: "invalid_payload")
        }
        stock.quantity = quantity
        let version = try record(db, entity: .stock, id: id, data: try json(stock), audiences: [nil])
        return answer(operation, .applied, version: version, reason: stock.quantity < 0 ? "stock_negative" : nil)
    }
}
