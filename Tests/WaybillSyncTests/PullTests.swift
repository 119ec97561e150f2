import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillSync
import WaybillTestSupport

@Suite struct PullTests {
    @Test func fullResync_makesTheReplicaEqualTheHubsView() async throws {
        let hubFolder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: hubFolder.file("hub.sqlite"), orders: 300)
        let station = try SyncHarness(hub: hub)
        try await station.settle()
        for entity in ["order", "sku", "stock", "box", "rate_table", "rules", "label"] {
            let expected = try await SyncHarness.hubView(hub, entity: entity)
            #expect(try station.store.replicaVersions(of: CentralAPI.Entity(rawValue: entity)!) == expected, "\(entity)")
        }
        let order = try #require(try station.store.order(id: "O-000001"))
        #expect(!order.lines.isEmpty)
        #expect(try station.store.syncState()[.caughtUp] == "true")
        #expect(try station.store.syncState()[.cursorLag] == "0")
        #expect(PullEngine.distance(from: "2.10", to: "2.25") == 15)
        #expect(PullEngine.distance(from: "1.10", to: "2.25") == nil)
        await hub.stop()
    }

    @Test func feedFaults_duplicatesDriftAndTruncation_stillConverge_andQuarantineTheUnknown() async throws {
        let hubFolder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: hubFolder.file("hub.sqlite"), orders: 200)
        try await hub.setFaults("changes:drift:0.3,changes:duplicates:0.3,changes:truncate:0.2,changes:reset:0.2,seed=5")
        let station = try SyncHarness(hub: hub)
        try await station.settle()
        let injected = try decode([String: JSONValue].self, try await hub.send("GET", "/admin/faults"))
        print("feed faults injected:", injected["injected"] ?? .null)
        try await hub.setFaults("")
        try await station.settle()
        #expect(try station.store.replicaVersions(of: .order) == (try await SyncHarness.hubView(hub)))
        // The unknown entity of the drifted pages is quarantined and visible, not applied.
        #expect(try station.store.quarantined().contains { $0.entity == "gift_wrap" })
        #expect(try station.store.status().quarantined >= 1)
        await hub.stop()
    }

    @Test func expiredCursor_resetsTheReplicaAndLosesNothing() async throws {
        let hubFolder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: hubFolder.file("hub.sqlite"), orders: 100)
        let station = try SyncHarness(hub: hub)
        try await station.settle()
        let orders = try station.ownOrders(5)
        for id in orders { try station.store.recordOrderTransition(orderID: id, to: .claimed, kind: .claim) }
        // The hub compacts its feed while the station still has unconfirmed work: its cursor expires (410).
        _ = try await hub.send(
            "POST",
            "/admin/orders/\(orders[0])/address",
            body: #"{"name":"X","street1":"1","city":"C","region":"R","postal_code":"1","country":"US"}"#
        )
        #expect(try await hub.send("POST", "/admin/compact").status == 200)
        try await station.settle()
        #expect(try station.store.storedIdentity()?.epoch == 2)
        let ledger = try await hub.ledger()
        #expect(ledger.filter { $0.type == "claim" }.count == 5)
        #expect(Set(ledger.map(\.idempotencyKey)).count == ledger.count)
        #expect(try station.store.replicaVersions(of: .order) == (try await SyncHarness.hubView(hub)))
        for id in orders { #expect(try station.store.order(id: id)?.state == .claimed) }
        await hub.stop()
    }
}
