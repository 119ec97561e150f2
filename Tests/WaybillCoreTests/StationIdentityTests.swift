import Testing
import WaybillCore

@Suite struct StationIdentityTests {
    @Test func stationID_acceptsTheDocumentedAlphabet() {
        #expect(StationID(rawValue: "station-1") != nil)
        #expect(StationID(rawValue: "Pack_Line.2") != nil)
        #expect(StationID(rawValue: String(repeating: "a", count: 64)) != nil)
    }

    @Test(arguments: ["", "station 1", "st/1", "é", String(repeating: "a", count: 65), "a\u{0}"])
    func stationID_refusesAnythingElse(_ text: String) {
        #expect(StationID(rawValue: text) == nil)
    }

    @Test func idempotencyKey_isStableAndDistinctPerStationEpochAndSeq() {
        let one = StationIdentity(stationID: StationID(rawValue: "station-1")!, epoch: 1)
        let two = StationIdentity(stationID: StationID(rawValue: "station-1")!, epoch: 2)
        #expect(one.idempotencyKey(seq: 7) == one.idempotencyKey(seq: 7))
        #expect(one.idempotencyKey(seq: 7) != one.idempotencyKey(seq: 8))
        #expect(one.idempotencyKey(seq: 7) != two.idempotencyKey(seq: 7))
    }

    @Test func operationKinds_useTheCentralAPITypeNames() {
        #expect(OperationKind.labelRequest.rawValue == "label_request")
        #expect(OperationKind.voidLabel.rawValue == "void_label")
        #expect(OperationKind.ship.resultingOrderState == .shipped)
        #expect(OperationKind.weigh.resultingOrderState == nil)
    }
}
