import Foundation
import SwiftProtobuf
import WaybillCore
import WaybillStore
import WaybillSync

/// The protobuf side of ``EncodingBench``: the feed's orders as `Protobuf/feed.proto`'s messages,
/// and read back into what the store needs.
extension EncodingBench {
    /// A parsed JSON page as protobuf: orders as messages, the few other entities as their JSON text.
    static func protobufPage(_ page: FeedPage) throws -> Waybill_Feed_V1_ChangesPage {
        var result = Waybill_Feed_V1_ChangesPage()
        result.nextCursor = page.nextCursor
        result.hasMore_p = page.hasMore  // protoc-gen-swift names a `has_more` field so (its `has` prefix is its own)
        result.checksum = page.checksum
        result.changes = try page.changes.map { change in
            var message = Waybill_Feed_V1_Change()
            message.entity = change.entity
            message.id = change.id
            message.version = Int64(change.version)
            message.op = change.op
            if change.entity == "order", let data = change.data {
                message.order = protobufOrder(try JSONDecoder().decode(CentralAPI.OrderData.self, from: Data(data.utf8)))
            } else if let data = change.data {
                message.json = data
            }
            return message
        }
        return result
    }

    /// A contract order as its protobuf message.
    static func protobufOrder(_ order: CentralAPI.OrderData) -> Waybill_Feed_V1_Order {
        var message = Waybill_Feed_V1_Order()
        message.id = order.id
        message.state = order.state
        if let station = order.stationID { message.stationID = station }
        if let claimed = order.claimedBy { message.claimedBy = claimed }
        message.warehouse = order.warehouse
        message.reference = order.reference
        message.serviceLevel = order.serviceLevel
        message.residential = order.residential
        var address = Waybill_Feed_V1_Address()
        address.name = order.shipTo.name
        if let company = order.shipTo.company { address.company = company }
        address.street1 = order.shipTo.street1
        if let street2 = order.shipTo.street2 { address.street2 = street2 }
        address.city = order.shipTo.city
        address.region = order.shipTo.region
        address.postalCode = order.shipTo.postalCode
        address.country = order.shipTo.country
        if let phone = order.shipTo.phone { address.phone = phone }
        message.shipTo = address
        message.lines = order.lines.map { line in
            var message = Waybill_Feed_V1_Line()
            message.lineNo = Int64(line.lineNo)
            message.sku = line.sku
            message.quantity = Int64(line.quantity)
            return message
        }
        message.zones = order.zones.mapValues(Int64.init)
        message.contentVersion = Int64(order.contentVersion)
        return message
    }

    /// A decoded protobuf order as the contract's type.
    static func order(_ message: Waybill_Feed_V1_Order) -> CentralAPI.OrderData {
        let address = message.shipTo
        return CentralAPI.OrderData(
            id: message.id,
            state: message.state,
            stationID: message.hasStationID ? message.stationID : nil,
            claimedBy: message.hasClaimedBy ? message.claimedBy : nil,
            warehouse: message.warehouse,
            reference: message.reference,
            serviceLevel: message.serviceLevel,
            residential: message.residential,
            shipTo: CentralAPI.Address(
                name: address.name,
                company: address.hasCompany ? address.company : nil,
                street1: address.street1,
                street2: address.hasStreet2 ? address.street2 : nil,
                city: address.city,
                region: address.region,
                postalCode: address.postalCode,
                country: address.country,
                phone: address.hasPhone ? address.phone : nil
            ),
            lines: message.lines.map { CentralAPI.Line(lineNo: Int($0.lineNo), sku: $0.sku, quantity: Int($0.quantity)) },
            zones: message.zones.mapValues { Int($0) },
            contentVersion: Int(message.contentVersion)
        )
    }

    /// Reads one protobuf page into what the store needs from each order (its problem or its JSON
    /// text, and its lines' digest), as the JSON parser's output holds them; returns the changes read
    /// and the bytes of JSON text written for them.
    static func readyToStore(_ bytes: [UInt8]) throws -> (changes: Int, text: Int) {
        let page = try Waybill_Feed_V1_ChangesPage(serializedBytes: bytes)
        _ = FeedChecksum.of(bytes)
        var written = 0
        for change in page.changes {
            guard case .order(let message) = change.data else {
                // As the JSON parser checks them: by their contract types.
                if case .json(let text) = change.data, CentralValidation.problem(entity: change.entity, id: change.id, data: Data(text.utf8)) == nil {
                    written += text.utf8.count
                }
                continue
            }
            let order = order(message)
            var problem = CentralIdentifier.problem(change.id)
            if problem == nil, change.version < 1 { problem = "its version \(change.version) must be 1 or more" }
            if problem == nil { problem = CentralValidation.orderProblem(order, id: change.id) }
            if problem == nil, longestText(order) > FeedLimits.maxStringBytes { problem = "a string is too long" }
            let digest = OrderLinesDigest(order.lines.map { (sku: $0.sku, quantity: $0.quantity) })
            let text = problem == nil ? json(order) : ""
            written += text.utf8.count + Int(digest.value & 1)
        }
        return (page.changes.count, written)
    }

    /// The longest of an order's texts, in bytes (the JSON parser caps every string).
    static func longestText(_ order: CentralAPI.OrderData) -> Int {
        let address = order.shipTo
        let texts = [
            order.id, order.state, order.stationID ?? "", order.claimedBy ?? "", order.warehouse, order.reference, order.serviceLevel,
            address.name, address.company ?? "", address.street1, address.street2 ?? "", address.city, address.region, address.postalCode,
            address.country, address.phone ?? "",
        ]
        return texts.reduce(0) { max($0, $1.utf8.count) }
    }

    /// The order's JSON text, the contract's fields, written byte by byte into one buffer (as a
    /// protobuf reader would have to, for the replica keeps each order's JSON).
    static func json(_ order: CentralAPI.OrderData) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(640)
        func raw(_ text: StaticString) { out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)) }
        func number(_ value: Int) { out.append(contentsOf: String(value).utf8) }
        func quoted(_ text: String?) {
            guard let text else { return raw("null") }
            out.append(UInt8(ascii: "\""))
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(byte)
                case 0..<0x20: out.append(contentsOf: JSONStringLiteral.quote(String(UnicodeScalar(byte))).utf8.dropFirst().dropLast())
                default: out.append(byte)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
        let address = order.shipTo
        raw("{\"id\":"); quoted(order.id)
        raw(",\"state\":"); quoted(order.state)
        raw(",\"station_id\":"); quoted(order.stationID)
        raw(",\"claimed_by\":"); quoted(order.claimedBy)
        raw(",\"warehouse\":"); quoted(order.warehouse)
        raw(",\"reference\":"); quoted(order.reference)
        raw(",\"service_level\":"); quoted(order.serviceLevel)
        raw(order.residential ? ",\"residential\":true" : ",\"residential\":false")
        raw(",\"ship_to\":{\"name\":"); quoted(address.name)
        raw(",\"company\":"); quoted(address.company)
        raw(",\"street1\":"); quoted(address.street1)
        raw(",\"street2\":"); quoted(address.street2)
        raw(",\"city\":"); quoted(address.city)
        raw(",\"region\":"); quoted(address.region)
        raw(",\"postal_code\":"); quoted(address.postalCode)
        raw(",\"country\":"); quoted(address.country)
        raw(",\"phone\":"); quoted(address.phone)
        raw("},\"lines\":[")
        for (index, line) in order.lines.enumerated() {
            raw(index == 0 ? "{\"line_no\":" : ",{\"line_no\":"); number(line.lineNo)
            raw(",\"sku\":"); quoted(line.sku)
            raw(",\"quantity\":"); number(line.quantity)
            raw("}")
        }
        raw("],\"zones\":{")
        for (index, zone) in order.zones.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { raw(",") }
            quoted(zone.key); raw(":"); number(zone.value)
        }
        raw("},\"content_version\":"); number(order.contentVersion)
        raw("}")
        return String(decoding: out, as: UTF8.self)
    }

    /// Every tenth change, when it is an order's, read both ways decodes to the same contract value,
    /// and the JSON text written from protobuf reads back to it: the two encodings carry the same orders.
    static func checkSameOrders(_ parsed: [FeedPage], _ protobuf: [[UInt8]]) throws {
        for (page, bytes) in zip(parsed, protobuf) {
            let decoded = try Waybill_Feed_V1_ChangesPage(serializedBytes: bytes)
            guard decoded.changes.count == page.changes.count else { throw BenchError("the protobuf page lost changes") }
            for (change, message) in zip(page.changes, decoded.changes).enumerated().filter({ $0.offset % 10 == 0 }).map(\.element)
            where change.entity == "order" {
                let fromJSON = try JSONDecoder().decode(CentralAPI.OrderData.self, from: Data((change.data ?? "").utf8))
                let fromProtobuf = order(message.order)
                let written = try JSONDecoder().decode(CentralAPI.OrderData.self, from: Data(json(fromProtobuf).utf8))
                guard fromJSON == fromProtobuf, written == fromJSON, message.id == change.id else {
                    throw BenchError("order \(change.id) differs between the encodings")
                }
            }
        }
    }
}
