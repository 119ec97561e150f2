import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillTestSupport

/// The bench's record on a real SQLite file: each gesture commits with its `verify` outbox entry,
/// the verification replays from the record after a restart, and a refused write leaves nothing.
@Suite struct PackStationStoreTests {
    let folder: TemporaryDirectory
    let store: WaybillStore

    init() throws {
        folder = try TemporaryDirectory()
        store = try WaybillStore.open(atPath: folder.file("station.sqlite"))
        _ = try store.identity(for: StationID(rawValue: "station-1")!)
        let order = """
            {"id":"O-1","state":"assigned","station_id":"station-1","warehouse":"W","reference":"#1","service_level":"ground","residential":true,\
            "ship_to":{"name":"A","street1":"1","city":"C","region":"R","postal_code":"1","country":"US"},\
            "lines":[{"line_no":1,"sku":"SKU-1","quantity":2}],"zones":{"A":4},"content_version":1}
            """
        _ = try store.applyPulledBatch(
            [
                PulledChange(
                    entity: "order",
                    id: "O-1",
                    version: 1,
                    op: "upsert",
                    data: order,
                    fields: ["state": "assigned", "station_id": "station-1"]
                ),
                try .sampleSKU("SKU-1", barcode: "4006381333931"), try .sampleSKU("SKU-2", barcode: "036000291452"),
            ],
            cursor: "1.3"
        )
        // Box 1 holds unit 1-1, box 2 unit 1-2.
        try store.recordShipment(orderID: "O-1", boxes: [.sample(1), .sample(2)], plannedBy: "station")
    }

    @Test func eachGesture_commitsWithItsVerifyOperation_refusalsToo() throws {
        let before = try store.outboxEntries().count
        let wrong = try store.recordPackGesture(orderID: "O-1", gesture: .scan("036000291452"), packer: "ana")
        #expect(wrong.outcome == .refused(.notInOrder(sku: "SKU-2")), "a SKU outside the order is found by its barcode and named")
        let counted = try store.recordPackGesture(orderID: "O-1", gesture: .scan("4006381333931"), packer: "ana")
        #expect(counted.outcome == .counted(sku: "SKU-1", units: 1, box: 1, boxClosed: true, orderComplete: false))
        let entries = try store.outboxEntries()
        #expect(entries.count == before + 2)
        let payloads = try entries.suffix(2).map { entry -> CentralAPI.VerifyPayload in
            #expect(entry.operation.kind == .verify && entry.operation.entityID == "O-1")
            return try JSONDecoder().decode(CentralAPI.VerifyPayload.self, from: Data(entry.operation.payload.utf8))
        }
        #expect(payloads.map(\.outcome) == ["not_in_order", "box_closed"])
        #expect(payloads.allSatisfy { $0.packer == "ana" && $0.boxNo == 1 && $0.gesture == "scan" })
        #expect(payloads.map(\.units) == [0, 1])
    }

    @Test func theVerificationReplaysFromTheRecord_afterTheStoreIsOpenedAgain() throws {
        try store.recordPackGesture(orderID: "O-1", gesture: .scan("4006381333931"), packer: "ana")
        try store.recordPackGesture(orderID: "O-1", gesture: .byHand(sku: "SKU-1"), packer: "ana")
        let reopened = try WaybillStore.open(atPath: folder.file("station.sqlite"))
        let session = try reopened.packSession(orderID: "O-1")
        #expect(session.verification.isComplete)
        #expect(session.events.map(\.gesture) == [.scan("4006381333931"), .byHand(sku: "SKU-1")])
        #expect(try reopened.benchQueue().first { $0.id == "O-1" }?.verifiedUnits == 2)
    }

    @Test func aNewPlanRevision_startsItsVerificationAfresh() throws {
        try store.recordPackGesture(orderID: "O-1", gesture: .scan("4006381333931"), packer: "ana")
        try store.recordShipment(orderID: "O-1", boxes: [.sample(1), .sample(2)], plannedBy: "station", replan: true)
        let session = try store.packSession(orderID: "O-1")
        #expect(session.events.isEmpty && session.verification.boxes.map(\.countedUnits) == [0, 0])
    }

    @Test func anOrderNotPacked_refusesTheGesture_andWritesNothing() throws {
        try store.upsertOrder(ReplicaOrder(id: "O-2", version: 1, state: .assigned, lines: [OrderLine(skuID: "SKU-1", quantity: 1)]))
        let before = try store.outboxEntries().count
        #expect(throws: StoreError.self) { try store.recordPackGesture(orderID: "O-2", gesture: .scan("4006381333931"), packer: "ana") }
        #expect(throws: StoreError.self) { try store.recordPackGesture(orderID: "NOPE", gesture: .scan("4006381333931"), packer: "ana") }
        #expect(try store.outboxEntries().count == before)
    }

    @Test func anOverlongScan_isRecordedCut_andRefusedAsUnreadable() throws {
        let step = try store.recordPackGesture(orderID: "O-1", gesture: .scan(String(repeating: "7", count: 5000)), packer: "ana")
        #expect(step.outcome == .refused(.unreadable))
        #expect(step.session.events.last?.gesture.text.count == 65)
    }

    @Test func aScanOpensItsOrder_byNumberReferenceOrDocument() throws {
        #expect(try store.orderID(forScan: "O-1\r\n") == "O-1")
        #expect(try store.orderID(forScan: "o-1") == "O-1")
        #expect(try store.orderID(forScan: "#1") == "O-1")
        #expect(try store.orderID(forScan: "O-404") == nil)
        #expect(try store.orderID(forScan: "") == nil)
    }
}
