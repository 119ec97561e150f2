import Foundation
import Testing
import WaybillCore
import WaybillHub
import WaybillStore
import WaybillSync
import WaybillTestSupport

@Suite(.timeLimit(.minutes(5))) struct PushTests {
    /// Every fault mode the hub has, on the operations and on the feed, hit by 2,000 operations in
    /// batches of 8, with the rate-limit bucket on and hangs longer than the client's timeout. The
    /// faults stay on for the first half of the drain; nothing resets a backoff. Each mode must fire,
    /// every operation must take effect exactly once, and repeats must have happened.
    @Test func twoThousandOperations_underEveryFault_areAppliedExactlyOnce() async throws {
        let hubFolder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: hubFolder.file("hub.sqlite"), orders: 1200)
        let station = try SyncHarness(hub: hub, requestTimeout: .milliseconds(600), pushBatchSize: 8)
        try await station.settle()
        let orders = try station.ownOrders(500)
        #expect(orders.count == 500)
        try await hub.setFaults(Self.everyFault)
        try station.recordLifecycles(of: orders)
        try await station.drive(timeout: .seconds(240)) { _ in try station.store.status().outboxDepth <= 1000 }
        let (injected, requests) = try await hub.faultCounts()
        try await hub.setFaults("")
        let start = ContinuousClock.now
        try await station.settle()
        let converged = ContinuousClock.now - start
        let opsRequests = (requests["ops"] ?? 0) + (try await hub.faultCounts().requests["ops"] ?? 0)
        print(
            "2000 operations: \(opsRequests) ops requests (\(requests) under faults), faults fired "
                + "\(injected.sorted { $0.key < $1.key }); converged \(converged) after the faults stopped"
        )
        #expect(opsRequests >= 200, "too few requests to test the faults")
        for kind in Self.faultsExpected { #expect((injected[kind] ?? 0) > 0, "no \(kind) fault fired") }

        let ledger = try await hub.ledger()
        #expect(ledger.count == 2000)
        #expect(Set(ledger.map(\.idempotencyKey)).count == 2000)
        let facts = Dictionary(grouping: ledger) { "\($0.type) \($0.entityID)" }.mapValues(\.count)
        #expect(facts.count == 2000 && facts.values.allSatisfy { $0 == 1 }, "a business fact took effect twice or never")
        let deliveries = try hub.store.deliveries().filter { $0.stationID == "station-1" }
        #expect(deliveries.filter { $0.outcome == .duplicate }.count > 0, "no repeat delivery: the lost answers tested nothing")
        #expect(deliveries.filter { $0.outcome == .applied }.count == 2000)
        #expect(!deliveries.contains { $0.reason == "idempotency_key_reused" }, "a retry asked for something else than its first attempt")
        #expect(try station.store.status().outboxDepth == 0)
        #expect(try station.store.status().deadLetters == 0)
        #expect(try station.store.replicaVersions(of: .order) == (try await SyncHarness.hubView(hub)))
        await hub.stop()
    }

    /// Every kind of fault on every endpoint at 30 % (latency 100 ms), the feed's own kinds more
    /// often (a cycle pulls once), hangs of 1 s against a 600 ms client timeout, and a leaky bucket
    /// of 20 requests leaking 10 a second.
    static let everyFault = "changes:duplicates:0.15,changes:drift:0.15,mixed:0.3:100,hang=1000,bucket=20/10,seed=11"
    static let faultsExpected = FaultKind.allCases.map(\.rawValue) + ["bucket"]

    /// The hub is down while 2,000 local actions happen and the station restarts twice (a new store
    /// connection and a new engine, which remember nothing but the database); when the hub returns on
    /// its port, the backlog drains unattended, each action applied once, in order per order.
    @Test func offlineBacklogOf2000Actions_acrossTwoRestarts_drainsUnattendedWhenTheHubReturns() async throws {
        let hubFolder = try TemporaryDirectory()
        var hub = try await RunningHub.start(databasePath: hubFolder.file("hub.sqlite"), orders: 1200)
        var station = try SyncHarness(hub: hub)
        try await station.settle()
        let port = hub.port, secrets = hub.secrets, folder = station.folder
        let orders = try station.ownOrders(500)
        #expect(orders.count == 500)
        await hub.stop()
        for step in SyncHarness.lifecycle.indices {
            try station.recordLifecycles(of: orders, steps: SyncHarness.lifecycle[step...step])
            // The station keeps trying while offline, then restarts after the second and third steps.
            var report = await station.engine.cycle()
            report = await station.engine.cycle()
            #expect(report.connectivity == .offline)
            if step == 1 || step == 2 { station = try SyncHarness(hub: hub, folder: folder) }
        }
        #expect(try station.store.status().outboxDepth == 2000)
        #expect(try station.store.outboxEntries().first?.attempts ?? 0 >= 1, "the station never tried while offline")

        hub = try await RunningHub.start(databasePath: hubFolder.file("hub.sqlite"), seed: false, secrets: secrets, port: port)
        try await station.settle(timeout: .seconds(120))
        let ledger = try await hub.ledger().filter { $0.stationID == "station-1" }
        #expect(ledger.count == 2000)
        #expect(Set(ledger.map(\.idempotencyKey)).count == 2000)
        for (id, entries) in Dictionary(grouping: ledger, by: \.entityID) {
            #expect(entries.map(\.type) == ["claim", "pack", "label_request", "ship"], "order \(id)")
        }
        #expect(await station.engine.cycle().connectivity == .online)
        #expect(try station.store.replicaVersions(of: .order) == (try await SyncHarness.hubView(hub)))
        await hub.stop()
    }

    @Test func expiredToken_isRefreshedWithoutLosingOrReorderingAnything() async throws {
        let hubFolder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: hubFolder.file("hub.sqlite"), orders: 50)
        let station = try SyncHarness(hub: hub)
        try await station.settle()
        let id = try #require(try station.ownOrders(1).first)
        try station.store.recordSampleTransition(orderID: id, to: .claimed, kind: .claim)
        _ = try await hub.send("POST", "/admin/clock", body: #"{"advance_s": 3600}"#)
        try station.store.recordSampleTransition(orderID: id, to: .packed, kind: .pack)
        try await station.settle()
        #expect(try await hub.ledger().map(\.type) == ["claim", "pack"])
        await hub.stop()
    }
}
