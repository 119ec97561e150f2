import Foundation
import Logging
import WaybillCore
import WaybillHTTP
import WaybillHub
import WaybillHubStore
import WaybillStore
import WaybillSync

/// A seeded hub served in this process on a free port, and helpers to make stations for it.
struct BenchHub {
    let base: String
    let secrets: [String: String]
    let folder: String
    let serving: Task<Void, any Error>

    static func start(orders: Int, maxLines: Int = 8) async throws -> BenchHub {
        let folder = NSTemporaryDirectory() + "waybill-bench-\(UUID().uuidString)"
        let store = try HubStore.open(path: folder + "/hub.sqlite")
        let seeded = try store.seed(orders: orders, stations: 1, seed: 7, maxLines: maxLines, poolShare: false)
        var logger = Logger(label: "bench.hub")
        logger.logLevel = .critical
        let server = HubServer(configuration: .init(port: 0, databasePath: store.path), logger: logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let serving = Task { try await server.run(handleSignals: false) { continuation.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw BenchError("the hub did not start") }
        return BenchHub(base: "http://127.0.0.1:\(port)", secrets: seeded.secrets, folder: folder, serving: serving)
    }

    func stop() {
        serving.cancel()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A fresh station database and sync engine for station-1.
    func station(pageSize: Int = 5000) throws -> (WaybillStore, SyncEngine) {
        let store = try WaybillStore.open(atPath: folder + "/station-\(UUID().uuidString).sqlite")
        let station = StationID(rawValue: "station-1")!
        _ = try store.identity(for: station)
        var logger = Logger(label: "bench.sync")
        logger.logLevel = .critical
        let client = CentralClient(
            baseURL: base,
            stationID: station,
            secret: secrets["station-1"]!,
            http: CurlHTTPClient(configuration: .init(requestTimeout: .seconds(120))),
            logger: logger
        )
        let engine = SyncEngine(
            store: store,
            client: client,
            policy: RetryPolicy(base: .milliseconds(10), cap: .seconds(1)),
            logger: logger,
            pageSize: pageSize
        )
        return (store, engine)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Percentile of sorted durations.
func percentile(_ sorted: [Duration], _ p: Double) -> Duration {
    guard !sorted.isEmpty else { return .zero }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
}

func milliseconds(_ duration: Duration) -> String {
    String(format: "%.3f ms", duration.seconds * 1000)
}
