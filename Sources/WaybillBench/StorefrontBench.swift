import ArgumentParser
import Foundation
import Logging
import WaybillCore
import WaybillHTTP
import WaybillHub
import WaybillHubStore
import WaybillStore
import WaybillSync

/// `waybill-bench storefront`: the initial sync of a Shopify location's fulfillment orders from
/// the hub's emulator at a documented rate limit, beside the limit's lower bound: the query cost
/// points the sweep spent ÷ the restore rate (no client can be faster without being throttled).
struct StorefrontBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storefront",
        abstract: "Initial sync of N fulfillment orders through Shopify's cost bucket, beside points spent ÷ restore rate."
    )

    @Option(help: "Fulfillment orders at the station's location.") var orders = 10_000
    @Option(help: "Cost points restored a second: Shopify's documented rates are 100 (Standard), 200 (Advanced), 1000 (Plus).")
    var restoreRate: Double = 1000
    @Option(help: "The app's bucket of points.") var bucket: Double = 1000
    @Option(help: "Fulfillment orders asked for per page (requested cost 2 + 25 a page's order, at most 1000).") var pageSize = 38

    func run() async throws {
        let folder = NSTemporaryDirectory() + "waybill-bench-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let hubStore = try HubStore.open(path: folder + "/hub.sqlite")
        _ = try hubStore.seed(orders: orders, stations: 1, seed: 7, maxLines: 8, poolShare: false)
        try hubStore.openEmulatedFulfillmentOrders()
        let catalog = folder + "/catalog.json"
        try Data(FeedPageText.render(try hubStore.catalogChanges(stationID: "station-1"), nextCursor: "catalog"))
            .write(to: URL(fileURLWithPath: catalog))
        var logger = Logger(label: "bench.storefront")
        logger.logLevel = .critical
        let server = HubServer(
            configuration: .init(
                port: 0,
                databasePath: hubStore.path,
                storefront: StorefrontEmulation(accessToken: "bench", bucketSize: bucket, restoreRate: restoreRate)
            ),
            logger: logger
        )
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let serving = Task { try await server.run(handleSignals: false) { continuation.yield($0) } }
        defer { serving.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw BenchError("the hub did not start") }
        let base = "http://127.0.0.1:\(port)"

        let store = try WaybillStore.open(atPath: folder + "/station.sqlite")
        _ = try store.identity(for: StationID(rawValue: "station-1")!)
        let client = ShopifyClient(
            settings: ShopifySettings(
                shopURL: base + "/shopify",
                apiVersion: "2025-01",
                accessToken: "bench",
                locationID: "gid://shopify/Location/1",
                stationID: "station-1",
                pageSize: pageSize
            ),
            http: CurlHTTPClient(configuration: .init(requestTimeout: .seconds(60))),
            logger: logger
        )
        let source = ShopifyOrderSource(
            client: client,
            store: store,
            catalogFile: catalog,
            policy: RetryPolicy(base: .milliseconds(10), cap: .seconds(1)),
            logger: logger
        )
        let clock = ContinuousClock()
        var pages = 0
        let elapsed = try await clock.measure { pages = try await source.pull().pages }
        let view = try JSONDecoder().decode(
            EmulatorView.self,
            from: Data(try await CurlHTTPClient().send(HTTPRequest(url: base + "/admin/emulators/storefront")).body)
        )
        let points = view.requests["points", default: 0]
        let bound = points / restoreRate
        let synced = try store.replicaVersions(of: .order).count
        print(
            String(
                format: "storefront: %d fulfillment orders in %d pages (%d requests, %d throttled), %.1f s, %.0f orders/s",
                synced,
                pages,
                client.statistics.requests,
                client.statistics.throttled,
                elapsed.seconds,
                Double(synced) / elapsed.seconds
            )
        )
        print(
            String(
                format: "lower bound: %.0f points spent ÷ %.0f points/s = %.1f s (%.1f s with the first bucket free); ratio %.3f× (floor ≤ 1.1×)",
                points,
                restoreRate,
                bound,
                max(0, points - bucket) / restoreRate,
                elapsed.seconds / bound
            )
        )
    }

    struct EmulatorView: Decodable {
        let requests: [String: Double]
    }
}
