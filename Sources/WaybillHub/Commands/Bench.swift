import ArgumentParser
import Foundation
import Logging
import Subprocess
import WaybillCore
import WaybillHTTP
import WaybillHubStore

extension HubCommand {
    /// `waybill-hub bench`: measurements, not tests.
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Benchmarks of the hub.", subcommands: [Feed.self])

        /// `waybill-hub bench feed`: how fast the changes feed serves a full resync.
        struct Feed: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Seed N orders, serve them over loopback and page through the feed; prints orders/s beside curl's."
            )

            @Option(help: "How many orders.") var orders = 100_000
            @Option(help: "Changes per page.") var limit = 5000
            @Option(help: "Measured passes (the best is reported).") var passes = 3

            func run() async throws {
                let folder = NSTemporaryDirectory() + "waybill-bench-\(UUID().uuidString)"
                defer { try? FileManager.default.removeItem(atPath: folder) }
                let store = try HubStore.open(path: folder + "/hub.sqlite")
                let seedStart = ContinuousClock.now
                let summary = try store.seed(orders: orders, stations: 1, seed: 7)
                print("seeded \(orders) orders in \(ContinuousClock.now - seedStart)")
                var cursor = FeedCursor.start
                var readTime = Duration.zero
                var renderTime = Duration.zero
                while true {
                    let start = ContinuousClock.now
                    let page = try store.changes(stationID: "station-1", after: cursor, limit: limit)
                    let read = ContinuousClock.now
                    _ = HubState.render(page, drift: false)
                    renderTime += ContinuousClock.now - read
                    readTime += read - start
                    cursor = page.nextCursor
                    if !page.hasMore { break }
                }
                print("in process: store reads \(readTime), rendering \(renderTime)")

                var logger = Logger(label: "waybill.hub.bench")
                logger.logLevel = .warning
                let server = HubServer(configuration: .init(port: 0, databasePath: store.path), logger: logger)
                let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
                let serving = Task { try await server.run(handleSignals: false) { portContinuation.yield($0) } }
                defer { serving.cancel() }
                var iterator = ports.makeAsyncIterator()
                guard let port = await iterator.next() else { throw ValidationError("the hub did not start") }
                let base = "http://127.0.0.1:\(port)"

                let client = CurlHTTPClient(configuration: .init(requestTimeout: .seconds(60)))
                let token = try await Self.token(client, base: base, secret: summary.secrets["station-1"]!)
                let headers = [(name: "Authorization", value: "Bearer \(token)")]

                // Warm-up pass; it also records the page URLs for curl.
                let (urls, counted) = try await Self.pass(client, base: base, limit: limit, headers: headers)
                print("feed: \(urls.count) pages, \(counted) orders (\(orders) seeded)")
                var waybillBest = Duration.seconds(1_000_000)
                var curlBest = Duration.seconds(1_000_000)
                for _ in 0..<max(1, passes) {
                    let start = ContinuousClock.now
                    _ = try await Self.pass(client, base: base, limit: limit, headers: headers)
                    waybillBest = min(waybillBest, ContinuousClock.now - start)
                    let curlStart = ContinuousClock.now
                    try await Self.curl(urls, token: token)
                    curlBest = min(curlBest, ContinuousClock.now - curlStart)
                }
                let rate = Double(orders) / waybillBest.seconds
                let curlRate = Double(orders) / curlBest.seconds
                print(String(format: "waybill client: %.3f s, %.0f orders/s", waybillBest.seconds, rate))
                print(String(format: "curl (same pages, one keep-alive process): %.3f s, %.0f orders/s", curlBest.seconds, curlRate))
                print(String(format: "ratio waybill/curl time: %.2fx  (floor for the hub: 100000 orders/s)", waybillBest.seconds / curlBest.seconds))
            }

            static func token(_ client: CurlHTTPClient, base: String, secret: String) async throws -> String {
                let body = try JSONEncoder().encode(CentralAPI.TokenRequest(stationID: "station-1", secret: secret))
                let response = try await client.send(
                    HTTPRequest(
                        method: "POST",
                        url: base + "/v1/auth/token",
                        headers: [(name: "Content-Type", value: "application/json")],
                        body: Array(body)
                    )
                )
                return try JSONDecoder().decode(CentralAPI.TokenResponse.self, from: Data(response.body)).accessToken
            }

            /// Pages through the whole feed; returns the URLs fetched and the orders seen.
            static func pass(
                _ client: CurlHTTPClient,
                base: String,
                limit: Int,
                headers: [(name: String, value: String)]
            ) async throws -> ([String], Int) {
                var cursor = "0"
                var urls: [String] = []
                var orders = 0
                let orderMarker = Array(#"{"entity":"order""#.utf8)
                while true {
                    let url = "\(base)/v1/changes?cursor=\(cursor)&limit=\(limit)"
                    urls.append(url)
                    let response = try await client.send(HTTPRequest(url: url, headers: headers))
                    guard response.status == 200 else { throw ValidationError("feed answered \(response.status)") }
                    orders += count(orderMarker, in: response.body)
                    guard let next = tail(response.body) else { throw ValidationError("a page without next_cursor") }
                    cursor = next.cursor
                    if !next.hasMore { return (urls, orders) }
                }
            }

            static func count(_ marker: [UInt8], in body: [UInt8]) -> Int {
                var found = 0
                var index = 0
                while index + marker.count <= body.count {
                    if body[index] == marker[0], body[index..<index + marker.count].elementsEqual(marker) {
                        found += 1
                        index += marker.count
                    } else {
                        index += 1
                    }
                }
                return found
            }

            /// `next_cursor` and `has_more` from the end of a page.
            static func tail(_ body: [UInt8]) -> (cursor: String, hasMore: Bool)? {
                let text = String(decoding: body.suffix(200), as: UTF8.self)
                guard let range = text.range(of: "\"next_cursor\":\"") else { return nil }
                let cursor = text[range.upperBound...].prefix { $0 != "\"" }
                return (String(cursor), text.contains("\"has_more\":true"))
            }

            static func curl(_ urls: [String], token: String) async throws {
                let result = try await Subprocess.run(
                    .name("curl"),
                    arguments: Arguments(
                        ["-s", "-o", "/dev/null", "-H", "Authorization: Bearer \(token)"] + urls.flatMap { [$0, "-o", "/dev/null"] }
                    ),
                    output: .discarded,
                    error: .string(limit: 4096)
                )
                guard result.terminationStatus.isSuccess else { throw ValidationError("curl failed: \(result.standardError)") }
            }
        }
    }
}
