import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillSync
import WaybillTestSupport

/// Carrier labels of confirmed label requests are bought once per box, whatever the retries.
@Suite(.timeLimit(.minutes(5))) struct LabelPurchaseTests {
    /// A station in sync with a fresh hub in `hubFolder` and one of its orders planned in `boxes` boxes and at
    /// `label_request`, not yet pushed.
    private func labelledOrder(in hubFolder: TemporaryDirectory, boxes: Int = 1) async throws -> (RunningHub, SyncHarness, String) {
        let hub = try await RunningHub.start(databasePath: hubFolder.file("hub.sqlite"), orders: 40)
        let station = try SyncHarness(hub: hub)
        try await station.settle()
        let id = try #require(try station.ownOrders(1).first)
        try station.store.recordSampleLabelRequest(orderID: id, boxes: boxes)
        return (hub, station, id)
    }

    @Test func aConfirmedLabelRequest_getsOneCarrierLabelPerBox_boughtOnce() async throws {
        let hubFolder = try TemporaryDirectory()
        let (hub, station, id) = try await labelledOrder(in: hubFolder, boxes: 2)
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

    /// The hub buys the label and the answer is lost on the way back, then the station restarts (a new
    /// store connection and engine, which remember nothing but the database): the retry, under the same
    /// key and byte-identical, is answered with the label bought the first time.
    @Test func aPurchaseWhoseAnswerIsLost_isAnsweredWithTheFirstLabel_afterARestart() async throws {
        let hubFolder = try TemporaryDirectory()
        let (hub, first, id) = try await labelledOrder(in: hubFolder)
        try await hub.setFaults("labels:lost:1")
        // No pull in this cycle: the feed would bring the label the hub sold, and the retry below
        // would never be asked (the process is killed before it pulls).
        let lost = await first.engine.cycle(pull: false)
        #expect(lost.labelError != nil, "the purchase's answer was not lost")
        // libcurl may send the request again itself on a fresh connection: it is lost again.
        #expect(try await hub.faultCounts().injected["lost"] ?? 0 >= 1)
        try await hub.setFaults("")
        let station = try SyncHarness(hub: hub, folder: first.folder)
        try await station.settle()

        #expect(try station.store.replicaVersions(of: .label).count == 1)
        #expect(try station.store.labelPurchasesDue().isEmpty)
        #expect(try await hub.ledger().filter { $0.type == "label_purchase" && $0.entityID == id }.count == 1)
        let deliveries = try hub.store.deliveries().filter { $0.type == "label_purchase" && $0.entityID == id }
        #expect(deliveries.first?.outcome == .applied)
        #expect(deliveries.count >= 2 && deliveries.dropFirst().allSatisfy { $0.outcome == .duplicate }, "\(deliveries.map(\.outcome))")
        #expect(!deliveries.contains { $0.reason == "idempotency_key_reused" })
        await hub.stop()
    }

    @Test func anAddressEditAfterLabelling_voidsTheLabel_andBuysANewOneUnderANewKey() async throws {
        let hubFolder = try TemporaryDirectory()
        let (hub, station, id) = try await labelledOrder(in: hubFolder)
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
