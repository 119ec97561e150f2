public import Foundation
import GRDB
public import WaybillCore

/// An order as the replica holds it.
public struct ReplicaOrder: Sendable, Hashable {
    public let id: String
    /// The central version this copy is based on.
    public let version: Int
    public let state: OrderState
    /// The central JSON of the order, as received.
    public let data: String
    /// The order's lines (the `lines` of ``data``).
    public let lines: [OrderLine]

    public init(id: String, version: Int, state: OrderState, data: String = "{}", lines: [OrderLine] = []) {
        self.id = id
        self.version = version
        self.state = state
        self.data = data
        self.lines = lines
    }
}

/// One line of an order: a SKU and how many of it.
public struct OrderLine: Sendable, Hashable {
    public let skuID: String
    public let quantity: Int

    public init(skuID: String, quantity: Int) {
        self.skuID = skuID
        self.quantity = quantity
    }
}

extension WaybillStore {
    /// Stores a central copy of an order when it is newer than the replica's; returns whether it was applied.
    ///
    /// The order's `lines`, when given, are written into its JSON as `lines` (the replica reads lines from there).
    @discardableResult
    public func upsertOrder(_ order: ReplicaOrder, now: Date = Date()) throws -> Bool {
        try write("store order \(order.id)") { db in
            let current = try Int.fetchOne(db, sql: "SELECT version FROM orders WHERE id = ?", arguments: [order.id])
            if let current, current >= order.version { return false }
            let lines = order.lines.enumerated().map { number, line in
                CentralAPI.Line(lineNo: number + 1, sku: line.skuID, quantity: line.quantity)
            }
            let linesJSON = String(decoding: try CanonicalJSON.encode(lines), as: UTF8.self)
            let digest = OrderLinesDigest(order.lines.map { (sku: $0.skuID, quantity: $0.quantity) })
            try db.execute(
                sql: """
                    INSERT INTO orders (id, version, state, data, updated_at, lines_digest)
                    VALUES (?, ?, ?, CASE WHEN ? THEN json_set(?, '$.lines', json(?)) ELSE ? END, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET version = excluded.version, state = excluded.state,
                        data = excluded.data, updated_at = excluded.updated_at, lines_digest = excluded.lines_digest
                    """,
                arguments: [
                    order.id, order.version, order.state.rawValue, !order.lines.isEmpty, order.data, linesJSON, order.data,
                    now.timeIntervalSince1970, digest.storedValue,
                ]
            )
            return true
        }
    }

    /// The replica's copy of an order, or `nil` when it has none.
    public func order(id: String) throws -> ReplicaOrder? {
        try read("read order \(id)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM orders WHERE id = ?", arguments: [id]) else {
                return nil
            }
            let lines = try Row.fetchAll(
                db,
                sql: """
                    SELECT json_extract(value, '$.sku') AS sku, json_extract(value, '$.quantity') AS quantity
                    FROM orders, json_each(orders.data, '$.lines') WHERE orders.id = ? ORDER BY json_each.key
                    """,
                arguments: [id]
            )
            .map { OrderLine(skuID: $0["sku"], quantity: $0["quantity"]) }
            let stateText: String = row["state"]
            guard let state = OrderState(rawValue: stateText) else {
                throw StoreError(.database, "order \(id) has an unknown state '\(stateText)'")
            }
            return ReplicaOrder(id: id, version: row["version"], state: state, data: row["data"], lines: lines)
        }
    }

    /// Moves an order to `next` and records the operation in the outbox, in one transaction.
    ///
    /// Either both the state change and the outbox entry are committed, or neither is.
    ///
    /// - Throws: ``StoreError`` `.notFound` for an order the replica does not hold, `.invalidTransition`
    ///   when the order-state rules forbid the move.
    @discardableResult
    public func recordOrderTransition(
        orderID: String,
        to next: OrderState,
        kind: OperationKind,
        payload: some OperationPayload = CentralAPI.EmptyPayload(),
        now: Date = Date()
    ) throws -> OutboxOperation {
        try write("record \(kind.rawValue) for order \(orderID)") { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT state, version FROM orders WHERE id = ?"), arguments: [orderID])
            else {
                throw StoreError(.notFound, "order \(orderID) is not in the replica; run `waybill sync` and try again")
            }
            let stateText: String = row["state"]
            guard let current = OrderState(rawValue: stateText) else {
                throw StoreError(.database, "order \(orderID) has an unknown state '\(stateText)'")
            }
            do {
                _ = try current.transition(to: next)
            } catch {
                throw StoreError(.invalidTransition, "order \(orderID): \(error)")
            }
            try db.cachedStatement(sql: "UPDATE orders SET state = ?, updated_at = ? WHERE id = ?")
                .execute(arguments: [next.rawValue, now.timeIntervalSince1970, orderID])
            return try Self.appendOperation(
                db,
                kind: kind,
                entityID: orderID,
                baseVersion: row["version"],
                payload: payload,
                now: now
            )
        }
    }
}
