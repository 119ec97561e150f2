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

    @Test func idempotencyKeys_namesTheStationAndNeverRepeat() {
        let identity = StationIdentity(stationID: StationID(rawValue: "station-1")!, epoch: 1)
        var random = SeededRandom(seed: 3)
        let keys = (0..<10_000).map { _ in identity.newIdempotencyKey(using: &random) }
        #expect(Set(keys).count == keys.count)
        #expect(keys.allSatisfy { $0.hasPrefix("station-1:") && $0.count == "station-1:".count + 32 })
    }

    @Test func operationKinds_useTheCentralAPITypeNames() {
        #expect(OperationKind.labelRequest.rawValue == "label_request")
        #expect(OperationKind.voidLabel.rawValue == "void_label")
        #expect(OperationKind.ship.resultingOrderState == .shipped)
        #expect(OperationKind.weigh.resultingOrderState == nil)
    }
}
