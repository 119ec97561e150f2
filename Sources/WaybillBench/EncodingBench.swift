import ArgumentParser
import Foundation
import SwiftProtobuf
import WaybillCore
import WaybillStore
import WaybillSync

/// `waybill-bench encoding`: the feed's wire encoding chosen by measurement (issue #14). The same
/// orders, as the hub serves them in JSON and encoded with swift-protobuf (`Protobuf/feed.proto`),
/// read into what the store needs, in rounds (each way first in turn):
/// - **JSON**: ``FeedPageParser/parse(_:)``, the agent's validating parser: the grammar, the limits,
///   the contract's checks, the indexed fields, the lines' digest and the data's JSON text;
/// - **protobuf, decoded**: swift-protobuf's decoder alone, no check: a floor for any protobuf reader;
/// - **protobuf, ready to store**: decoded, checked by the contract's typed rules
///   (``CentralValidation/orderProblem(_:id:)``, the identifiers, the string caps), the lines'
///   digest, and the JSON text the replica keeps (written by hand, not by `JSONEncoder`).
struct EncodingBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encoding",
        abstract: "The feed's orders read from JSON (the agent's parser) vs protobuf (swift-protobuf), in rounds."
    )

    @Option(help: "How many orders.") var orders = 100_000
    @Option(help: "Changes per page.") var pageSize = 5000
    @Option(help: "Rounds, each reading every page in each way.") var rounds = 5
    @Option(help: "A folder to write both encodings' pages into (page-N.json, page-N.pb), to compare them compressed.")
    var writePages: String?

    func run() async throws {
        let hub = try await BenchHub.start(orders: orders)
        defer { hub.stop() }
        let token = try await ResyncBench.token(hub)
        let json = try await ResyncBench.pages(hub: hub, token: token, pageSize: pageSize)
        let parsed = try json.map { try FeedPageParser.parse($0) }
        let protobuf = try parsed.map { try Self.protobufPage($0).serializedBytes() as [UInt8] }
        let count = parsed.reduce(0) { $0 + $1.changes.count }
        try Self.checkSameOrders(parsed, protobuf)
        if let folder = writePages {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for (index, (text, binary)) in zip(json, protobuf).enumerated() {
                try Data(text).write(to: URL(fileURLWithPath: "\(folder)/page-\(index + 1).json"))
                try Data(binary).write(to: URL(fileURLWithPath: "\(folder)/page-\(index + 1).pb"))
            }
        }
        let jsonBytes = json.reduce(0) { $0 + $1.count }
        let protobufBytes = protobuf.reduce(0) { $0 + $1.count }
        let orders = parsed.reduce(0) { $0 + $1.changes.count { $0.entity == "order" } }
        print(
            "\(count) changes (\(orders) orders) in \(json.count) pages: JSON \(jsonBytes / count) bytes per change, protobuf \(protobufBytes / count)"
        )

        var jsonTimes: [Double] = []
        var decodeTimes: [Double] = []
        var readyTimes: [Double] = []
        for round in 1...max(1, rounds) {
            func timed(_ body: () throws -> Int) throws -> Double {
                let start = ContinuousClock.now
                guard try body() == count else { throw BenchError("a reading lost orders") }
                return (ContinuousClock.now - start).seconds
            }
            var text = 0
            // Each way goes first in turn (the first of a round reads colder caches).
            var times: [Double] = [0, 0, 0]
            for way in (0..<3).map({ ($0 + round - 1) % 3 }) {
                switch way {
                case 0: times[0] = try timed { try json.reduce(0) { $0 + (try FeedPageParser.parse($1)).changes.count } }
                case 1:
                    times[1] = try timed { try protobuf.reduce(0) { $0 + (try Waybill_Feed_V1_ChangesPage(serializedBytes: $1)).changes.count } }
                default:
                    times[2] = try timed {
                        try protobuf.reduce(0) { read, page in
                            let ready = try Self.readyToStore(page)
                            text += ready.text
                            return read + ready.changes
                        }
                    }
                }
            }
            let (jsonTime, decodeTime, readyTime) = (times[0], times[1], times[2])
            guard text >= jsonBytes / 2 else { throw BenchError("protobuf's reading wrote too little JSON text: \(text) bytes") }
            jsonTimes.append(jsonTime)
            decodeTimes.append(decodeTime)
            readyTimes.append(readyTime)
            print(
                String(
                    format: "round %d: JSON %.3f s, protobuf decoded %.3f s, protobuf ready to store %.3f s",
                    round,
                    jsonTime,
                    decodeTime,
                    readyTime
                )
            )
        }
        for (name, times) in [("JSON (validating parser)", jsonTimes), ("protobuf, decoded", decodeTimes), ("protobuf, ready to store", readyTimes)] {
            let median = Rounds.median(times)
            print(String(format: "%@: median %.3f s = %d changes/s", name, median, Int(Double(count) / median)))
        }
        print(
            Rounds.ratioLine(
                "protobuf decoded/JSON",
                zip(decodeTimes, jsonTimes).map(/),
                digits: 2,
                floor: "below 1: protobuf's decoder alone is faster"
            )
        )
        print(
            Rounds.ratioLine("protobuf ready/JSON", zip(readyTimes, jsonTimes).map(/), digits: 2, floor: "below 1: a protobuf feed would read faster")
        )
    }

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

    /// Every tenth order read both ways decodes to the same contract value, and the written JSON
    /// text reads back to it: the two encodings carry the same orders.
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
