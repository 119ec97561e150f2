public import Foundation
import GRDB
public import WaybillCore

/// What to do with a label purchase request, given its idempotency key.
public enum LabelPurchaseStart: Sendable, Equatable {
    /// First time: buy it.
    case new
    /// Bought before with the same body: replay this response.
    case replay(String)
    /// A request with this key is still being processed.
    case inFlight
    /// The key was used with a different body.
    case mismatch
}

extension HubStore {
    /// Claims the idempotency key of a label purchase, or says why not.
    public func beginLabelPurchase(stationID: String, key: String, body: String, now: Date = Date()) throws -> LabelPurchaseStart {
        let hash = Self.sha256(body)
        return try writer.write { db in
            if let row = try Row.fetchOne(
                db,
                sql: "SELECT * FROM label_purchases WHERE station_id = ? AND idempotency_key = ?",
                arguments: [stationID, key]
            ) {
                guard (row["request_sha256"] as String) == hash else { return .mismatch }
                guard (row["state"] as String) == "done", let response = row["response"] as String? else { return .inFlight }
                return .replay(response)
            }
            try db.execute(
                sql: """
                    INSERT INTO label_purchases (idempotency_key, station_id, request_sha256, state, created_at)
                    VALUES (?, ?, ?, 'in_flight', ?)
                    """,
                arguments: [key, stationID, hash, now.timeIntervalSince1970]
            )
            return .new
        }
    }

    /// Gives up an in-flight purchase that failed, so the same key can be tried again.
    public func abandonLabelPurchase(stationID: String, key: String) throws {
        try writer.write { db in
            try db.execute(
                sql: "DELETE FROM label_purchases WHERE station_id = ? AND idempotency_key = ? AND state = 'in_flight'",
                arguments: [stationID, key]
            )
        }
    }

    /// Releases every purchase left in flight, for a hub that starts: no request can be in flight
    /// in a process that has just begun. A hub that died between claiming a key and buying the
    /// label otherwise answered every retry of that key 409 `request_in_flight`, forever, and the
    /// order never shipped. Returns how many were released.
    @discardableResult
    public func releaseInFlightLabelPurchases() throws -> Int {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM label_purchases WHERE state = 'in_flight'")
            return db.changesCount
        }
    }

    /// Buys the label: quotes, renders the carrier label, records it (feed and ledger) and stores the
    /// response for replays, in one transaction. Returns the response JSON.
    public func completeLabelPurchase(
        stationID: String,
        key: String,
        request: CentralAPI.LabelPurchase,
        rates: RateModel,
        now: Date = Date()
    ) throws -> String {
        try writer.write { db in
            let (_, order) = try Self.loadOrder(db, id: request.orderID)
            guard order.stationID == nil ? order.claimedBy == stationID : order.stationID == stationID else {
                throw HubStoreError("assigned_elsewhere", "order \(request.orderID) is assigned to another station")
            }
            guard order.state != OrderState.cancelled.rawValue else {
                throw HubStoreError("order_cancelled", "order \(request.orderID) was cancelled; do not ship it")
            }
            let zone = order.zones[request.fromLocation] ?? 5
            let quotes = rates.quotes(outerDims: request.dims, grossLb: request.weightLb, zone: zone, residential: order.residential)
            let chosen =
                request.serviceLevel == "cheapest"
                ? quotes.min { $0.total < $1.total } : quotes.first { $0.service == request.serviceLevel }
            guard let quote = chosen else {
                throw HubStoreError("not_shippable", "no service (\(request.serviceLevel)) can carry this parcel; check dims and weight")
            }
            let number = (try Int.fetchOne(db, sql: "SELECT count(*) FROM entities WHERE entity = 'label'") ?? 0) + 1
            let label = Self.carrierLabel(
                for: order,
                boxNo: request.boxNo,
                boxCount: request.boxCount,
                service: quote.service,
                cost: quote.total,
                tracking: "1ZSIM\(String(format: "%010d", 1_000_000 + number))"
            )
            let response = try Self.json(label)
            let version = try Self.record(db, entity: .label, id: label.labelID, data: response, audiences: [stationID])
            try Self.appendLedger(
                db,
                stationID: stationID,
                epoch: nil,
                seq: nil,
                key: key,
                type: "label_purchase",
                entityID: request.orderID,
                version: version,
                now: now
            )
            try db.execute(
                sql: "UPDATE label_purchases SET state = 'done', response = ? WHERE station_id = ? AND idempotency_key = ?",
                arguments: [response, stationID, key]
            )
            return response
        }
    }

    /// A carrier's 4x6 ZPL label for one box. Customer text is escaped with `^FH`; barcodes carry generated ids only.
    static func carrierLabel(
        for order: CentralAPI.OrderData,
        boxNo: Int,
        boxCount: Int,
        service: String,
        cost: Double,
        tracking: String
    ) -> CentralAPI.LabelData {
        let to = order.shipTo
        func field(_ x: Int, _ y: Int, _ size: Int, _ text: String) -> String {
            "^FO\(x),\(y)^A0N,\(size),\(size)^FB760,1,0,L^FH_^FD\(ZPLFieldText.escape(text))^FS\n"
        }
        var zpl = "^XA\n^CI28\n^PW812\n^LL1218\n"
        zpl += field(30, 30, 40, "SIMCARRIER \(service)")
        zpl += field(30, 100, 30, "SHIP TO:")
        zpl += field(30, 140, 40, to.name)
        zpl += field(30, 190, 30, to.company ?? "")
        zpl += field(30, 230, 30, to.street1)
        zpl += field(30, 270, 30, to.street2 ?? "")
        zpl += field(30, 310, 30, "\(to.city), \(to.region) \(to.postalCode)")
        zpl += field(30, 380, 30, "Order \(order.reference)  Box \(boxNo) of \(boxCount)")
        zpl += "^FO60,480^BY3^BCN,200,Y,N,N^FD\(tracking)^FS\n^XZ\n"
        return CentralAPI.LabelData(
            labelID: "CL-\(tracking)",
            orderID: order.id,
            boxNo: boxNo,
            carrier: "SIMCARRIER",
            service: service,
            trackingNumber: tracking,
            cost: cost,
            format: "zpl",
            zpl: zpl
        )
    }
}
