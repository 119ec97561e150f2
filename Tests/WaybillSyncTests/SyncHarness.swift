import Foundation
import Logging
import WaybillCore
import WaybillHTTP
import WaybillStore
import WaybillSync
import WaybillTestSupport

/// A station store and sync engine talking to a running hub, with fast retries for tests.
struct SyncHarness {
    let folder: TemporaryDirectory
    let store: WaybillStore
    let engine: SyncEngine
    let station: StationID

    init(
        hub: RunningHub,
        station: String = "station-1",
        requestTimeout: Duration = .seconds(2),
        retry: RetryPolicy = RetryPolicy(base: .milliseconds(5), cap: .milliseconds(100)),
        folder: TemporaryDirectory? = nil
    ) throws {
        self.folder = try folder ?? TemporaryDirectory()
        self.station = StationID(rawValue: station)!
        store = try WaybillStore.open(atPath: self.folder.file("\(station).sqlite"))
        _ = try store.identity(for: self.station)
        var logger = Logger(label: "test.sync")
        logger.logLevel = .critical
        let client = CentralClient(
            baseURL: hub.base,
            stationID: self.station,
            secret: hub.secrets[station]!,
            http: CurlHTTPClient(configuration: .init(connectTimeout: .milliseconds(500), requestTimeout: requestTimeout)),
            logger: logger
        )
        engine = SyncEngine(
            store: store,
            client: client,
            policy: retry,
            logger: logger,
            backupDirectory: self.folder.path,
            pageSize: 50
        )
    }

    /// Runs cycles until the station is settled (outbox empty of due work, feed caught up), at most `cycles`.
    @discardableResult
    func settle(cycles: Int = 500) async throws -> Int {
        for count in 1...cycles {
            let report = await engine.cycle()
            if report.settled, try store.status().outboxDepth == 0 { return count }
            if let retry = report.retryIn { try await Task.sleep(for: min(retry, .milliseconds(100))) }
            if try store.status().outboxDepth > 0, try store.nextPushBatch(limit: 1).isEmpty { _ = try store.retryPendingNow() }
        }
        throw HubTestError("not settled after \(cycles) cycles: \(try store.status().outboxDepth) pending; \(try store.syncState())")
    }

    /// The hub's view of a station's scope: entity id -> version.
    static func hubView(_ hub: RunningHub, station: String = "station-1", entity: String = "order") async throws -> [String: Int] {
        try decode([String: Int].self, try await hub.send("GET", "/admin/view/\(station)?entity=\(entity)"))
    }

    /// Orders of this station (not the pool) in the replica, in id order.
    func ownOrders(_ count: Int) throws -> [String] {
        Array(
            try store.replicaVersions(of: .order).keys.filter { id in
                (try? store.order(id: id))?.state == .assigned
            }.sorted().prefix(count)
        )
    }
}
