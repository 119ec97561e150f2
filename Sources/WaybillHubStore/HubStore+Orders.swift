public import Foundation
import GRDB
public import WaybillCore

extension HubStore {
    static func loadOrder(_ db: Database, id: String) throws -> (version: Int, order: CentralAPI.OrderData) {
        guard let row = try Row.fetchOne(db, sql: "SELECT version, data FROM entities WHERE entity = 'order' AND id = ?", arguments: [id])
        else { throw HubStoreError.notFound("order \(id)") }
        return (row["version"], try decode(CentralAPI.OrderData.self, row["data"]))
    }

    /// Writes a new version of an order for its station (every station for a pool order), and for
    /// `previousAudience` too: the station, or with `.some(nil)` every station, that must learn the order left it.
    @discardableResult
    static func saveOrder(_ db: Database, _ order: CentralAPI.OrderData, previousAudience: String?? = .none) throws -> Int {
        var audiences: [String?] = [order.stationID]
        if case .some(let previous) = previousAudience, previous != order.stationID { audiences.append(previous) }
        return try record(db, entity: .order, id: order.id, data: try json(order), audiences: audiences)
    }

    /// Edits an order centrally with `change` and returns its new version.
    func editOrder(_ id: String, _ change: (inout CentralAPI.OrderData, Int) throws -> Void) throws -> Int {
        try writer.write { db in
            var (version, order) = try Self.loadOrder(db, id: id)
            try change(&order, version + 1)
            return try Self.saveOrder(db, order)
        }
    }

    /// The current order, as the feed serves it.
    public func order(id: String) throws -> (version: Int, order: CentralAPI.OrderData) {
        try writer.read { db in try Self.loadOrder(db, id: id) }
    }

    /// Cancels an order centrally (any state before shipped).
    @discardableResult
    public func cancelOrder(_ id: String) throws -> Int {
        try editOrder(id) { order, _ in
            guard order.state != OrderState.shipped.rawValue else {
                throw HubStoreError("already_shipped", "order \(id) has shipped and can no longer be cancelled")
            }
            order.state = OrderState.cancelled.rawValue
        }
    }

    /// Replaces an order's ship-to address centrally.
    @discardableResult
    public func editAddress(_ id: String, to address: CentralAPI.Address) throws -> Int {
        try editOrder(id) { order, newVersion in
            order.shipTo = address
            order.contentVersion = newVersion
        }
    }

    /// Replaces an order's lines centrally.
    @discardableResult
    public func editLines(_ id: String, to lines: [CentralAPI.Line]) throws -> Int {
        guard !lines.isEmpty, lines.allSatisfy({ $0.quantity > 0 }) else {
            throw HubStoreError("invalid_request", "an order needs at least one line, each with a positive quantity")
        }
        return try editOrder(id) { order, newVersion in
            order.lines = lines
            order.contentVersion = newVersion
        }
    }

    /// Assigns an order to another station; a claim by the previous station is superseded.
    @discardableResult
    public func reassignOrder(_ id: String, to stationID: String) throws -> Int {
        try writer.write { db in
            guard try Self.stationExists(db, stationID) else { throw HubStoreError.notFound("station \(stationID)") }
            var (_, order) = try Self.loadOrder(db, id: id)
            let previous = order.stationID
            order.stationID = stationID
            if let state = OrderState(rawValue: order.state), !state.isFinal {
                order.state = OrderState.assigned.rawValue
                order.claimedBy = nil
            }
            return try Self.saveOrder(db, order, previousAudience: .some(previous))
        }
    }

    /// Creates an order for a station with generated content; returns its id.
    public func createOrder(stationID: String, lines: [CentralAPI.Line]? = nil, seed: UInt64 = UInt64(Date().timeIntervalSince1970 * 1000))
        throws -> String
    {
        try writer.write { db in
            guard try Self.stationExists(db, stationID) else { throw HubStoreError.notFound("station \(stationID)") }
            let skus = try String.fetchAll(db, sql: "SELECT id FROM entities WHERE entity = 'sku' ORDER BY id")
            guard !skus.isEmpty else { throw HubStoreError("not_seeded", "the hub has no SKUs yet; run `waybill-hub seed` first") }
            let number = (try Int.fetchOne(db, sql: "SELECT count(*) FROM entities WHERE entity = 'order'") ?? 0) + 1
            var random = SeededRandom(seed: seed)
            var order = SeedData.order(number: number + 500_000, stationID: stationID, skus: skus, random: &random)
            if let lines { order.lines = lines }
            try Self.saveOrder(db, order)
            return order.id
        }
    }

    static func stationExists(_ db: Database, _ id: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM stations WHERE id = ?", arguments: [id]) ?? false
    }
}
