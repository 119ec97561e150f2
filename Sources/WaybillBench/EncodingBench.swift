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
    @Option(help: "Rounds, each reading every page in each way (each way goes first in a third of them).") var rounds = 6
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
        let orderCount = parsed.reduce(0) { $0 + $1.changes.count { $0.entity == "order" } }
        print(
            "\(count) changes (\(orderCount) orders) in \(json.count) pages: JSON \(jsonBytes / count) bytes per change, protobuf \(protobufBytes / count)"
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
}
