import Foundation
public import Logging
public import WaybillCore
import WaybillHTTP
public import WaybillStore
public import WaybillSync

/// A station store and sync engine talking to a running hub, with fast retries for tests.
///
/// ``drive(timeout:until:)`` runs cycles the way the agent's sync loop does: the next cycle starts
/// when the engine's backoff ends or the next outbox entry falls due. Nothing resets a backoff.
public struct SyncHarness {
    public let folder: TemporaryDirectory
    public let store: WaybillStore
    public let engine: SyncEngine
    public let station: StationID

    public init(
        hub: RunningHub,
        station: String = "station-1",
        requestTimeout: Duration = .seconds(2),
        retry: RetryPolicy = RetryPolicy(base: .milliseconds(5), cap: .milliseconds(100)),
        folder: TemporaryDirectory? = nil,
        pushBatchSize: Int = 500,
        labelProvider: ((WaybillStore, Logger) -> any LabelProvider)? = nil
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
            pageSize: 50,
            pushBatchSize: pushBatchSize,
            labelProvider: labelProvider?(store, logger)
        )
    }

    /// A harness over an engine built elsewhere (another order source or label provider).
    public init(folder: TemporaryDirectory, store: WaybillStore, engine: SyncEngine, station: String = "station-1") {
        self.folder = folder
        self.store = store
        self.engine = engine
        self.station = StationID(rawValue: station)!
    }

    /// Runs cycles until `done` holds after one, waiting between cycles only as long as the agent
    /// would (the engine's backoff, or until the next outbox entry falls due); at most `timeout`.
    ///
    /// - Returns: the number of cycles run.
    @discardableResult
    public func drive(
        timeout: Duration = .seconds(120),
        until done: (SyncEngine.CycleReport) async throws -> Bool
    ) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        var cycles = 0
        while ContinuousClock.now < deadline {
            let report = await engine.cycle()
            cycles += 1
            if try await done(report) { return cycles }
            var wait = report.retryIn ?? .zero
            if let due = try store.nextPushDue() {
                wait = max(wait, .milliseconds(Int(due.timeIntervalSinceNow * 1000)))
            }
            // The backoff's own timer, as the agent's loop waits on it; not a synchronisation guess.
            if wait > .zero { try await Task.sleep(for: wait) }
        }
        throw HubTestError(
            "not done after \(timeout) (\(cycles) cycles): \(try store.status().outboxDepth) pending; \(try store.syncState())"
        )
    }

    /// Runs cycles until the station is settled: the outbox is empty and the feed caught up.
    @discardableResult
    public func settle(timeout: Duration = .seconds(60)) async throws -> Int {
        try await drive(timeout: timeout) { report in
            try report.settled && store.status().outboxDepth == 0
        }
    }

    /// The hub's view of a station's scope: entity id -> version.
    public static func hubView(_ hub: RunningHub, station: String = "station-1", entity: String = "order") async throws -> [String: Int] {
        try decode([String: Int].self, try await hub.send("GET", "/admin/view/\(station)?entity=\(entity)"))
    }

    /// The four steps of an order's life a station pushes: claim, pack, label request, ship.
    public static let lifecycle: [(OrderState, OperationKind)] = [
        (.claimed, .claim), (.packed, .pack), (.labelled, .labelRequest), (.shipped, .ship),
    ]

    /// Records `steps` of ``lifecycle`` for each order (all four by default): one outbox entry each.
    public func recordLifecycles(of orders: [String], steps: ArraySlice<(OrderState, OperationKind)> = lifecycle[...]) throws {
        for (state, kind) in steps {
            for id in orders { try store.recordSampleTransition(orderID: id, to: state, kind: kind) }
        }
    }

    /// Orders of this station (not the pool) in the replica, in id order.
    public func ownOrders(_ count: Int) throws -> [String] {
        Array(
            try store.replicaVersions(of: .order).keys.filter { id in
                (try? store.order(id: id))?.state == .assigned
            }.sorted().prefix(count)
        )
    }
}
