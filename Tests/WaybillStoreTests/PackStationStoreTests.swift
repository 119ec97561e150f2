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
        (folder, store) = try WaybillStore.fixture()
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

    @Test func aUnitAfterABoxsLastOne_waitsForTheBoxToBeWeighed_insteadOfCountingInTheNext() throws {
        try store.recordPackGesture(orderID: "O-1", gesture: .scan("4006381333931"), packer: "ana")
        // Box 2 holds the same SKU: until box 1 is weighed, another unit is box 1's extra, not box 2's.
        let early = try store.recordPackGesture(orderID: "O-1", gesture: .scan("4006381333931"), packer: "ana")
        #expect(early.outcome == .refused(.weighFirst(sku: "SKU-1", box: 1)))
        #expect(early.message.contains("weigh and close box 1 first"), "\(early.message)")
        #expect(try store.packSession(orderID: "O-1").verification.boxes.map(\.countedUnits) == [1, 0])
        try store.recordBoxWeight(orderID: "O-1", boxNo: 1, measuredLb: 2.5, source: .manual, check: WeightCheck(), packer: "ana")
        let next = try store.recordPackGesture(orderID: "O-1", gesture: .scan("4006381333931"), packer: "ana")
        #expect(next.outcome == .counted(sku: "SKU-1", units: 1, box: 2, boxClosed: true, orderComplete: true))
    }

    @Test func theVerificationReplaysFromTheRecord_afterTheStoreIsOpenedAgain() throws {
        try store.recordPackGesture(orderID: "O-1", gesture: .scan("4006381333931"), packer: "ana")
        try store.recordBoxWeight(orderID: "O-1", boxNo: 1, measuredLb: 2.5, source: .manual, check: WeightCheck(), packer: "ana")
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

/// Weighing at the bench: a verified box is weighed, a mismatch holds its labels until a
/// supervisor overrides it with a reason, and each weighing commits with its `weigh` operation.
@Suite struct BoxWeightStoreTests {
    let folder: TemporaryDirectory
    let store: WaybillStore
    let check = WeightCheck(toleranceLb: 0.2, tolerancePercent: 5)

    init() throws {
        let fixture = try PackStationStoreTests()
        folder = fixture.folder
        store = fixture.store
    }

    /// The boxes whose documents a manual station would print now.
    func printable() throws -> [Int] { try store.boxesWithoutLocalLabels(slips: true, verifiedOnly: true).map(\.boxNo) }

    @Test func aBoxPrints_onlyOnceVerifiedAndWeighedWithinTolerance_orOverridden() throws {
        #expect(try printable() == [])
        #expect(throws: StoreError.self) {
            try store.recordBoxWeight(orderID: "O-1", boxNo: 1, measuredLb: 2.5, source: .manual, check: check, packer: "ana")
        }
        try store.recordPackGesture(orderID: "O-1", gesture: .scan("4006381333931"), packer: "ana")
        #expect(try printable() == [], "verified, not weighed")
        let heavy = try store.recordBoxWeight(orderID: "O-1", boxNo: 1, measuredLb: 3.1, source: .manual, check: check, packer: "ana")
        #expect(!heavy.accepted && heavy.expectedLb == 2.5 && heavy.allowedLb == 0.2)
        #expect(try printable() == [], "a mismatch holds the labels")
        #expect(throws: StoreError.self) { try store.overrideBoxWeight(orderID: "O-1", boxNo: 1, reason: " ", packer: "sam") }
        try store.overrideBoxWeight(orderID: "O-1", boxNo: 1, reason: "heavier packing paper", packer: "sam")
        #expect(try printable() == [1])
        #expect(try store.packSession(orderID: "O-1").weights[1]?.overrideReason == "heavier packing paper")

        try store.recordPackGesture(orderID: "O-1", gesture: .scan("4006381333931"), packer: "ana")
        try store.recordBoxWeight(orderID: "O-1", boxNo: 2, measuredLb: 2.6, source: .scale, check: check, packer: "ana")
        #expect(try printable() == [1, 2])
        #expect(try store.boxesWithoutLocalLabels(slips: true).map(\.boxNo) == [1, 2], "an unattended station does not wait")
    }

    @Test func eachWeighing_commitsWithItsWeighOperation_andABadWeightWritesNothing() throws {
        try store.recordPackGesture(orderID: "O-1", gesture: .scan("4006381333931"), packer: "ana")
        let before = try store.outboxEntries().count
        #expect(throws: StoreError.self) {
            try store.recordBoxWeight(orderID: "O-1", boxNo: 1, measuredLb: -1, source: .manual, check: check, packer: "ana")
        }
        #expect(throws: StoreError.self) {
            try store.recordBoxWeight(orderID: "O-1", boxNo: 1, measuredLb: .nan, source: .manual, check: check, packer: "ana")
        }
        #expect(try store.outboxEntries().count == before)
        try store.recordBoxWeight(orderID: "O-1", boxNo: 1, measuredLb: 2.45, source: .scale, check: check, packer: "ana")
        let entry = try #require(try store.outboxEntries().last)
        #expect(entry.operation.kind == .weigh)
        let payload = try JSONDecoder().decode(CentralAPI.WeighPayload.self, from: Data(entry.operation.payload.utf8))
        #expect(payload.boxNo == 1 && payload.verdict == "within" && payload.source == "scale" && payload.packer == "ana")
        #expect(try store.outboxEntries().count == before + 1)
    }
}
