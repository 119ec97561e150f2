import Testing
import WaybillCore

/// Box label and slip ids name one document each: a CUPS job name and a barcode that no other
/// label shares, or the second one would never print (the spooler refuses an id twice).
@Suite struct BoxDocumentIDTests {
    @Test func plainIDs_stayAsTheyAre() {
        #expect(BoxDocuments.labelID(orderID: "O-000021", boxNumber: 3).rawValue == "BX-O-000021-3")
        #expect(BoxDocuments.slipID(orderID: "O-000021", boxNumber: 3).rawValue == "PS-O-000021-3")
        // Issued again after a relabel.
        #expect(BoxDocuments.labelID(orderID: "O-000021", boxNumber: 3, issue: 2).rawValue == "BX-O-000021-3-I2")
        #expect(BoxDocuments.slipID(orderID: "O-000021", boxNumber: 3, issue: 2).rawValue == "PS-O-000021-3-I2")
    }

    @Test(arguments: [
        // Long ids: cut to 40 characters, the box label and the slip (and boxes 1 and 11) once collided.
        String(repeating: "7", count: 40), "ORDER-" + String(repeating: "A", count: 58),
        // Ids that differ only in characters a barcode cannot carry, or in case.
        "a.1", "A_1", "A:1", "a-1", "A#1",
    ])
    func everyDocumentOfEveryOrder_hasAnIDOfItsOwn(_ orderID: String) {
        let others = ["a.1", "A_1", "A:1", "a-1", "A#1", "A-1"].filter { $0 != orderID }
        var seen: Set<String> = []
        for order in [orderID] + others {
            for box in [1, 11, 111] {
                for issue in [1, 2] {
                    for id in [
                        BoxDocuments.labelID(orderID: order, boxNumber: box, issue: issue),
                        BoxDocuments.slipID(orderID: order, boxNumber: box, issue: issue),
                    ] {
                        #expect(id.rawValue.utf8.count <= 40)
                        #expect(seen.insert(id.rawValue).inserted, "\(id.rawValue) is shared (order \(order), box \(box), issue \(issue))")
                    }
                }
            }
        }
    }
}
