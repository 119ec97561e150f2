import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillSync
import WaybillTestSupport

@Suite(.timeLimit(.minutes(5))) struct PushTests {
    /// 2,000 operations pushed through 30 % faults of every kind, including applied-but-lost
    /// responses: after the faults stop everything converges and the ledger holds each operation once.
    @Test func twoThousandOperations_underMixedFaults_areAppliedExactlyOnce() async throws {
        let hubFolder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: hubFolder.file("hub.sqlite"), orders: 1200)
        let station = try SyncHarness(hub: hub, requestTimeout: .milliseconds(800))
        try await station.settle()
        let orders = try station.ownOrders(500)
        #expect(orders.count == 500)
        try await hub.setFaults("mixed:0.3:200ms,seed=11")
        for id in orders {
            for (state, kind) in [(OrderState.claimed, OperationKind.claim), (.packed, .pack), (.labelled, .labelRequest), (.shipped, .ship)] {
                try station.store.recordOrderTransition(orderID: id, to: state, kind: kind)
            }
        }
        // Work through the faults for a while.
        for _ in 0..<40 {
            let report = await station.engine.cycle()
            if report.settled { break }
        }
        try await hub.setFaults("")
        let start = ContinuousClock.now
        _ = try station.store.retryPendingNow()
        try await station.settle()
        print("2000 operations converged \(ContinuousClock.now - start) after the faults stopped")
        let ledger = try await hub.ledger()
        #expect(ledger.count == 2000)
        #expect(Set(ledger.map(\.idempotencyKey)).count == 2000)
        #expect(try station.store.status().outboxDepth == 0)
        #expect(try station.store.status().deadLetters == 0)
        #expect(try station.store.replicaVersions(of: .order) == (try await SyncHarness.hubView(hub)))
        await hub.stop()
    }

    @Test func offlineBacklog_drainsUnattendedWhenTheHubReturns() async throws {
        let hubFolder = try TemporaryDirectory()
        var hub = try await RunningHub.start(databasePath: hubFolder.file("hub.sqlite"), orders: 200)
        let station = try SyncHarness(hub: hub)
        try await station.settle()
        let port = hub.port, secrets = hub.secrets
        await hub.stop()
        let orders = try station.ownOrders(50)
        for id in orders {
            try station.store.recordOrderTransition(orderID: id, to: .claimed, kind: .claim)
            try station.store.recordOrderTransition(orderID: id, to: .packed, kind: .pack)
        }
        var report = await station.engine.cycle()
        report = await station.engine.cycle()
        report = await station.engine.cycle()
        #expect(report.connectivity == .offline)
        #expect(try station.store.status().outboxDepth == 100)
        #expect(try station.store.outboxEntries().first?.attempts ?? 0 >= 1)

        hub = try await RunningHub.start(databasePath: hubFolder.file("hub.sqlite"), seed: false, secrets: secrets, port: port)
        try await station.settle()
        #expect(try await hub.ledger().count == 100)
        #expect(await station.engine.cycle().connectivity == .online)
        await hub.stop()
    }

    @Test func expiredToken_isRefreshedWithoutLosingOrReorderingAnything() async throws {
        let hubFolder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: hubFolder.file("hub.sqlite"), orders: 50)
        let station = try SyncHarness(hub: hub)
        try await station.settle()
        let id = try #require(try station.ownOrders(1).first)
        try station.store.recordOrderTransition(orderID: id, to: .claimed, kind: .claim)
        _ = try await hub.send("POST", "/admin/clock", body: #"{"advance_s": 3600}"#)
        try station.store.recordOrderTransition(orderID: id, to: .packed, kind: .pack)
        try await station.settle()
        #expect(try await hub.ledger().map(\.type) == ["claim", "pack"])
        await hub.stop()
    }
}
