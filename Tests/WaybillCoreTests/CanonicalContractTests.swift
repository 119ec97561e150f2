import Foundation
import Testing
import WaybillCore

/// What idempotent requests and identifiers from central systems rely on.
@Suite struct CanonicalContractTests {
    /// Foundation's encoder orders keys differently in every process (and instance); a retried label
    /// purchase must still be byte-identical to the first, so its encoding is canonical.
    @Test func aLabelPurchase_encodesToTheSameSortedBytes_everyTime() throws {
        let purchase = CentralAPI.LabelPurchase(
            orderID: "O-000021",
            boxNo: 1,
            boxCount: 8,
            dims: [20.25, 16.25, 14.25],
            weightLb: 24.030000000000005,
            fromLocation: "A",
            serviceLevel: "SIM_GROUND",
            format: "zpl"
        )
        let expected =
            #"{"box_count":8,"box_no":1,"dims":[20.25,16.25,14.25],"format":"zpl","from_location":"A","order_id":"O-000021","#
            + #""service_level":"SIM_GROUND","weight_lb":24.030000000000005}"#
        for _ in 0..<200 {
            #expect(String(decoding: try CanonicalJSON.encode(purchase), as: UTF8.self) == expected)
        }
    }

    /// The empty payload's text is written without an encoder: it must be what the encoder writes.
    @Test func theEmptyPayloadsShortcut_isItsCanonicalEncoding() throws {
        let payload = CentralAPI.EmptyPayload()
        #expect(payload.canonicalText() == String(decoding: try CanonicalJSON.encode(payload), as: UTF8.self))
        let generic: any OperationPayload = payload
        #expect(try generic.canonicalText() == "{}", "the shortcut is the one any caller gets")
    }

    @Test(arguments: ["O-000001", "SKU-0042@A", "CL-1ZSIM0001000040", "default", "B12", "a.b_c:d#2"])
    func identifiersOfTheSeed_areAccepted(_ id: String) {
        #expect(CentralIdentifier.problem(id) == nil)
    }

    @Test(arguments: ["", "../etc/passwd", "a/b", "a..b", "-x", "O 1", "O\u{1}", "Ł-1", String(repeating: "A", count: 65), "^FS", "<b>"])
    func identifiersThatCouldEscapeAFileNameJobNameOrPage_areRefused(_ id: String) {
        #expect(CentralIdentifier.problem(id) != nil, "\(id) was accepted")
    }
}
