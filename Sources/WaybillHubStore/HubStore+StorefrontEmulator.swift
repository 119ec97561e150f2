public import Foundation
import GRDB
public import WaybillCore

/// A fulfillment order of the hub's Shopify emulator (`waybill-hub serve --emulate storefront`):
/// one per order assigned to a station, at the location numbered like the station (`station-1` →
/// location 1); its content is the hub order's, so the hub's admin edits reach the storefront.
public struct EmulatedFulfillmentOrder: Sendable, Hashable {
    /// The number in `gid://shopify/FulfillmentOrder/{number}`.
    public let number: Int
    public let location: Int
    public let status: String
    /// As Shopify would say it: `CANCELLATION_REQUESTED` once the hub cancelled the order.
    public let requestStatus: String
    /// Grows with every change of the order or of the fulfillment order.
    public let revision: Int
    public let order: CentralAPI.OrderData
}

/// What an admin (or a test) sees of a fulfillment order: its number, the hub order it was made
/// from, and where it stands.
public struct EmulatedFulfillmentOrderSummary: Codable, Sendable, Hashable {
    public let number: Int
    /// The hub's order id (what `waybill-hub admin cancel|address` take).
    public let orderID: String
    public let location: Int
    public let status: String
    public let requestStatus: String

    public init(_ order: EmulatedFulfillmentOrder) {
        (number, orderID, location, status, requestStatus) = (order.number, order.order.id, order.location, order.status, order.requestStatus)
    }

    enum CodingKeys: String, CodingKey {
        case number
        case orderID = "order_id"
        case location, status
        case requestStatus = "request_status"
    }
}

/// A fulfillment the emulator created.
public struct EmulatedFulfillment: Codable, Sendable, Hashable {
    public let id: Int
    public let fulfillmentOrder: Int
    public let company: String
    public let trackingNumbers: [String]
    public let notifyCustomer: Bool

    enum CodingKeys: String, CodingKey {
        case id
        case fulfillmentOrder = "fulfillment_order"
        case company
        case trackingNumbers = "tracking_numbers"
        case notifyCustomer = "notify_customer"
    }
}

extension HubStore {
    /// The fulfillment orders' numbers start here (the first is 1000001).
    public static let fulfillmentOrderBase = 1_000_000

    static func addEmulatedStorefront(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE emulated_fulfillment_orders (
                    id INTEGER PRIMARY KEY,
                    order_id TEXT NOT NULL UNIQUE,
                    location INTEGER NOT NULL,
                    status TEXT NOT NULL DEFAULT 'OPEN',
                    request_status TEXT NOT NULL DEFAULT 'SUBMITTED',
                    revision INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX emulated_fulfillment_orders_by_location ON emulated_fulfillment_orders(location, id);
                -- Like Shopify's fulfillmentCreate, no idempotency key: this table says what was created.
                CREATE TABLE emulated_fulfillments (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    fulfillment_order INTEGER NOT NULL,
                    company TEXT NOT NULL,
                    tracking TEXT NOT NULL,
                    notify INTEGER NOT NULL,
                    created_at REAL NOT NULL
                );
                """
        )
    }

    /// Gives every station order without one a fulfillment order (new orders, at each first page).
    public func openEmulatedFulfillmentOrders() throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO emulated_fulfillment_orders (id, order_id, location)
                    SELECT \(Self.fulfillmentOrderBase) + (SELECT count(*) FROM emulated_fulfillment_orders)
                               + row_number() OVER (ORDER BY e.id),
                           e.id, CAST(substr(e.station_id, 9) AS INTEGER)
                    FROM entities e
                    WHERE e.entity = 'order' AND e.deleted = 0 AND e.station_id LIKE 'station-%'
                      AND NOT EXISTS (SELECT 1 FROM emulated_fulfillment_orders f WHERE f.order_id = e.id)
                    """
            )
        }
    }

    /// Open fulfillment orders of `location` after number `after`, in number order; and whether more follow.
    public func emulatedFulfillmentOrders(location: Int, after: Int, limit: Int) throws -> (orders: [EmulatedFulfillmentOrder], hasMore: Bool) {
        let rows = try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT f.*, e.version, e.data FROM emulated_fulfillment_orders f
                    JOIN entities e ON e.entity = 'order' AND e.id = f.order_id
                    WHERE f.location = ? AND f.id > ? AND f.status IN ('OPEN', 'IN_PROGRESS')
                    ORDER BY f.id LIMIT ?
                    """,
                arguments: [location, after, limit + 1]
            )
        }
        let orders = try rows.prefix(limit).map(Self.emulatedFulfillmentOrder)
        return (orders, rows.count > limit)
    }

    /// Every fulfillment order, whatever its status, by number.
    public func allEmulatedFulfillmentOrders() throws -> [EmulatedFulfillmentOrder] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT f.*, e.version, e.data FROM emulated_fulfillment_orders f
                    JOIN entities e ON e.entity = 'order' AND e.id = f.order_id ORDER BY f.id
                    """
            )
        }.map(Self.emulatedFulfillmentOrder)
    }

    /// Fulfillment order `number`, whatever its status.
    public func emulatedFulfillmentOrder(_ number: Int) throws -> EmulatedFulfillmentOrder? {
        try writer.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT f.*, e.version, e.data FROM emulated_fulfillment_orders f
                    JOIN entities e ON e.entity = 'order' AND e.id = f.order_id WHERE f.id = ?
                    """,
                arguments: [number]
            )
        }.map(Self.emulatedFulfillmentOrder)
    }

    /// Moves fulfillment order `number` from `statuses` (its derived request status among
    /// `requestStatuses`) to `status` and `requestStatus`; nil when it was not in such a state.
    public func transitionEmulatedFulfillmentOrder(
        _ number: Int,
        from statuses: Set<String>,
        requestStatuses: Set<String>,
        to status: String,
        requestStatus: String
    ) throws -> EmulatedFulfillmentOrder? {
        guard let current = try emulatedFulfillmentOrder(number), statuses.contains(current.status),
            requestStatuses.contains(current.requestStatus)
        else { return nil }
        try writer.write { db in
            try db.execute(
                sql: "UPDATE emulated_fulfillment_orders SET status = ?, request_status = ?, revision = revision + 1 WHERE id = ?",
                arguments: [status, requestStatus, number]
            )
        }
        return try emulatedFulfillmentOrder(number)
    }

    /// Fulfils fulfillment order `number` whole (status CLOSED) with `trackingNumbers`; nil when it
    /// is not open. Twice for the same order is refused by its state, not by a key: the API has none.
    public func createEmulatedFulfillment(
        _ number: Int,
        company: String,
        trackingNumbers: [String],
        notifyCustomer: Bool,
        now: Date = Date()
    ) throws -> EmulatedFulfillment? {
        try writer.write { db in
            let open =
                try String.fetchOne(
                    db,
                    sql: "SELECT status FROM emulated_fulfillment_orders WHERE id = ? AND status IN ('OPEN', 'IN_PROGRESS')",
                    arguments: [number]
                ) != nil
            guard open else { return nil }
            try db.execute(
                sql: "UPDATE emulated_fulfillment_orders SET status = 'CLOSED', request_status = 'CLOSED', revision = revision + 1 WHERE id = ?",
                arguments: [number]
            )
            try db.execute(
                sql: "INSERT INTO emulated_fulfillments (fulfillment_order, company, tracking, notify, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [number, company, try Self.json(trackingNumbers), notifyCustomer, now.timeIntervalSince1970]
            )
            return EmulatedFulfillment(
                id: Int(db.lastInsertedRowID),
                fulfillmentOrder: number,
                company: company,
                trackingNumbers: trackingNumbers,
                notifyCustomer: notifyCustomer
            )
        }
    }

    /// The fulfillments created, for one fulfillment order or all, oldest first.
    public func emulatedFulfillments(of number: Int? = nil) throws -> [EmulatedFulfillment] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM emulated_fulfillments WHERE ?1 IS NULL OR fulfillment_order = ?1 ORDER BY id",
                arguments: [number]
            ).map { row in
                EmulatedFulfillment(
                    id: row["id"],
                    fulfillmentOrder: row["fulfillment_order"],
                    company: row["company"],
                    trackingNumbers: (try? JSONDecoder().decode([String].self, from: Data((row["tracking"] as String).utf8))) ?? [],
                    notifyCustomer: row["notify"]
                )
            }
        }
    }

    /// Each SKU's first barcode, by SKU id (the variants' barcodes).
    public func skuBarcodes() throws -> [String: String] {
        try writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT id, json_extract(data, '$.barcodes[0].code') AS code FROM entities WHERE entity = 'sku' AND deleted = 0"
            )
            return Dictionary(rows.compactMap { row in (row["code"] as String?).map { (row["id"] as String, $0) } }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// What a station needs besides its orders (SKUs, stock, boxes, rate tables, rules), as changes
    /// of the feed: the catalog a storefront station reads from a file.
    public func catalogChanges(stationID: String) throws -> [FeedPageText.Change] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT entity, id, version, data FROM entities
                    WHERE entity IN ('sku', 'stock', 'box', 'rate_table', 'rules') AND deleted = 0
                      AND (station_id IS NULL OR station_id = ?)
                    ORDER BY entity, id
                    """,
                arguments: [stationID]
            ).map { FeedPageText.Change(entity: $0["entity"], id: $0["id"], version: $0["version"], data: $0["data"]) }
        }
    }

    private static func emulatedFulfillmentOrder(_ row: Row) throws -> EmulatedFulfillmentOrder {
        let order = try JSONDecoder().decode(CentralAPI.OrderData.self, from: Data((row["data"] as String).utf8))
        let status: String = row["status"]
        var requestStatus: String = row["request_status"]
        if order.state == OrderState.cancelled.rawValue, ["OPEN", "IN_PROGRESS"].contains(status), ["SUBMITTED", "ACCEPTED"].contains(requestStatus) {
            requestStatus = "CANCELLATION_REQUESTED"
        }
        return EmulatedFulfillmentOrder(
            number: row["id"],
            location: row["location"],
            status: status,
            requestStatus: requestStatus,
            revision: (row["version"] as Int) * 1000 + (row["revision"] as Int),
            order: order
        )
    }
}
