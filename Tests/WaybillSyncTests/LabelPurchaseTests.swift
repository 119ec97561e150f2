import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillSync
import WaybillTestSupport

/// Carrier labels of confirmed label requests are bought once per box, whatever the retries.
@Suite(.timeLimit(.minutes(5))) struct LabelPurchaseTests {
    private func box(_ number: Int) -> PlannedBox {
        PlannedBox(
            boxNo: number,
            boxID: "B02",
            outerDims: [12, 10, 8],
            location: "A",
            service: "SIM_GROUND",
            zone: 4,
            grossLb: 3.5,
            billableLb: 4,
            postage: 9,
            materialCost: 0.6,
            items: [PackingSolution.Placement(id: "1-\(number)", pos: [0, 0, 0], dims: [4, 3, 2])]
        )
    }

    @Test func aConfirmedLabelRequest_getsOneCarrierLabelPerBox_boughtOnce() async throws {
        let hubFolder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: hubFolder.file("hub.sqlite"), orders: 40)
        let station = try SyncHarness(hub: hub)
        try await station.settle()
        let id = try #require(try station.ownOrders(1).first)
        try station.store.recordShipment(orderID: id, boxes: [box(1), box(2)], plannedBy: "test")
        try station.store.recordOrderTransition(orderID: id, to: .labelled, kind: .labelRequest)
        try await station.settle()
        // Further cycles (and a purchaser that forgot nothing) buy nothing more.
        try await station.settle()

        let labels = try station.store.replicaVersions(of: .label)
        #expect(labels.count == 2)
        #expect(labels.values.allSatisfy { $0 > 0 }, "the feed's copy replaced the answer's")
        #expect(try station.store.labelPurchasesDue().isEmpty)
        let purchases = try await hub.ledger().filter { $0.type == "label_purchase" && $0.entityID == id }
        #expect(purchases.count == 2)
        await hub.stop()
    }

    @Test func anAddressEditAfterLabelling_voidsTheLabel_andBuysANewOneUnderANewKey() async throws {
        let hubFolder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: hubFolder.file("hub.sqlite"), orders: 40)
        let station = try SyncHarness(hub: hub)
        try await station.settle()
        let id = try #require(try station.ownOrders(1).first)
        try station.store.recordShipment(orderID: id, boxes: [box(1)], plannedBy: "test")
        try station.store.recordOrderTransition(orderID: id, to: .labelled, kind: .labelRequest)
        try await station.settle()
        let first = try station.store.replicaVersions(of: .label)
        #expect(first.count == 1)

        _ = try await hub.send(
            "POST",
            "/admin/orders/\(id)/address",
            body: #"{"name":"New Name","street1":"9 Rd","city":"C","region":"CA","postal_code":"90001","country":"US"}"#
        )
        try await station.settle()
        try await station.settle()

        #expect(try station.store.conflicts(openOnly: true).contains { $0.rule == "relabel" && $0.entityID == id })
        let labels = try station.store.replicaVersions(of: .label)
        #expect(labels.count == 2, "a new label for the new address")
        #expect(try station.store.labelPurchasesDue().isEmpty)
        #expect(try station.store.ordersReadyToShip(slips: false).isEmpty, "a conflict for a person holds the parcel")
        let purchases = try await hub.ledger().filter { $0.type == "label_purchase" && $0.entityID == id }
        #expect(purchases.count == 2)
        #expect(Set(purchases.map(\.idempotencyKey)).count == 2)
        await hub.stop()
    }
}
