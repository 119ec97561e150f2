import Foundation
import Testing

@testable import WaybillCore

/// The pack-and-verify rules: what each scan means, when a box closes, and the weight check.
@Suite struct PackVerificationTests {
    static let mug = CentralAPI.SKUData(
        id: "SKU-MUG",
        name: "Mug",
        dims: [4, 4, 4],
        weightLb: 0.8,
        location: "A",
        shipAlone: false,
        keepUpright: false,
        mixClass: "general",
        barcodes: [.init(code: "4006381333931"), .init(code: "14006381333938", units: 6)]
    )
    static let lamp = CentralAPI.SKUData(
        id: "SKU-LAMP",
        name: "Lamp",
        dims: [10, 10, 20],
        weightLb: 3,
        location: "A",
        shipAlone: false,
        keepUpright: true,
        mixClass: "general",
        barcodes: [.init(code: "036000291452")]
    )
    static let sock = CentralAPI.SKUData(
        id: "SKU-SOCK",
        name: "Sock",
        dims: [5, 3, 1],
        weightLb: 0.1,
        location: "A",
        shipAlone: false,
        keepUpright: false,
        mixClass: "general",
        barcodes: [.init(code: "96385074")]
    )

    /// Order: line 1 two mugs, line 2 one lamp. Box 1 holds both mugs, box 2 the lamp.
    static func verification(mugs: Int = 2, boxes: [PackVerification.PlannedContents]? = nil) -> PackVerification {
        let order = CentralAPI.OrderData(
            id: "O-1",
            state: "packed",
            stationID: "station-1",
            claimedBy: "station-1",
            warehouse: "W",
            reference: "#1",
            serviceLevel: "ground",
            residential: true,
            shipTo: CentralAPI.Address(name: "A", street1: "B", city: "C", region: "D", postalCode: "1", country: "DE"),
            lines: [.init(lineNo: 1, sku: "SKU-MUG", quantity: mugs), .init(lineNo: 2, sku: "SKU-LAMP", quantity: 1)],
            zones: ["A": 5],
            contentVersion: 1
        )
        let plan =
            boxes ?? [
                .init(number: 1, boxID: "S", itemIDs: (1...mugs).map { "1-\($0)" }),
                .init(number: 2, boxID: "L", itemIDs: ["2-1"]),
            ]
        return PackVerification(order: order, boxes: plan, skus: [mug.id: mug, lamp.id: lamp, sock.id: sock])
    }

    @Test func everyUnitIsScannedIntoItsBox_theBoxClosesOnItsLastUnit_andTheOrderOnItsLast() {
        var verification = Self.verification()
        #expect(verification.openBoxIndex == 0)
        #expect(verification.apply(.scan("4006381333931\r\n")) == .counted(sku: "SKU-MUG", units: 1, box: 1, boxClosed: false, orderComplete: false))
        let closing = verification.apply(.scan("4006381333931"))
        #expect(closing == .counted(sku: "SKU-MUG", units: 1, box: 1, boxClosed: true, orderComplete: false))
        #expect(verification.message(for: closing).contains("open box 2"))
        #expect(verification.openBoxIndex == 1)
        // A UPC-A scanned as EAN-13 (with its leading 0) is the same item.
        #expect(verification.apply(.scan("0036000291452")) == .counted(sku: "SKU-LAMP", units: 1, box: 2, boxClosed: true, orderComplete: true))
        #expect(verification.isComplete)
        #expect(verification.apply(.scan("4006381333931")) == .refused(.orderComplete))
    }

    @Test func aWrongItem_anItemOfAnotherBox_andOneTooMany_areRefusedWithAMessageAndCountNothing() {
        var verification = Self.verification()
        #expect(verification.apply(.scan("96385074")) == .refused(.notInOrder(sku: "SKU-SOCK")))
        let other = verification.apply(.scan("036000291452"))
        #expect(other == .refused(.otherBox(sku: "SKU-LAMP", box: 2, open: 1)))
        #expect(verification.message(for: other) == "SKU-LAMP (Lamp) goes in box 2, not box 1. Finish box 1 first.")
        verification.apply(.scan("4006381333931"))
        verification.apply(.scan("4006381333931"))
        #expect(verification.apply(.scan("4006381333931")) == .refused(.tooMany(sku: "SKU-MUG")))
        #expect(verification.boxes.map(\.countedUnits) == [2, 0])
    }

    @Test func anUnknownOrUnreadableScan_saysSo_andAHandConfirmationCounts() {
        var verification = Self.verification()
        #expect(verification.apply(.scan("4006381333932")) == .refused(.unknownBarcode("4006381333932")))  // bad check digit
        #expect(verification.apply(.scan("")) == .refused(.unreadable))
        #expect(verification.apply(.scan("40063\u{1B}81333931")) == .refused(.unreadable))
        #expect(verification.apply(.scan(String(repeating: "9", count: 65))) == .refused(.unreadable))
        #expect(verification.apply(.byHand(sku: "SKU-MUG")) == .counted(sku: "SKU-MUG", units: 1, box: 1, boxClosed: false, orderComplete: false))
        #expect(verification.apply(.byHand(sku: "NOPE")) == .refused(.unknownBarcode("NOPE")))
        // A SKU's own id matches too (items labelled with a Code 128 of the SKU).
        #expect(verification.apply(.scan("SKU-MUG")).isAccepted)
    }

    @Test func aCaseBarcodeCountsItsUnits_onlyWhenTheBoxNeedsThatMany() {
        var six = Self.verification(mugs: 6)
        #expect(six.apply(.scan("14006381333938")) == .counted(sku: "SKU-MUG", units: 6, box: 1, boxClosed: true, orderComplete: false))
        var two = Self.verification(mugs: 2)
        #expect(two.apply(.scan("14006381333938")) == .refused(.caseTooLarge(sku: "SKU-MUG", units: 6, needed: 2)))
        #expect(two.boxes[0].countedUnits == 0)
    }

    @Test func atTheBench_aCompleteBoxStaysThePackersUntilWeighed_soAnExtraUnitIsNeverCountedInTheNextBox() {
        // Box 1 and box 2 each hold a mug: the second scan of a mug after box 1's last one could be
        // box 2's first or box 1's extra; until box 1 is weighed it is refused.
        var verification = Self.verification(
            mugs: 2,
            boxes: [.init(number: 1, boxID: "S", itemIDs: ["1-1"]), .init(number: 2, boxID: "L", itemIDs: ["1-2", "2-1"])]
        )
        verification.closesBoxes = true
        let closing = verification.apply(.scan("4006381333931"))
        #expect(verification.message(for: closing).contains("weigh it to close it, then start box 2"))
        let early = verification.apply(.scan("4006381333931"))
        #expect(early == .refused(.weighFirst(sku: "SKU-MUG", box: 1)))
        #expect(verification.apply(.scan("036000291452")) == .refused(.weighFirst(sku: "SKU-LAMP", box: 1)))
        #expect(verification.apply(.scan("96385074")) == .refused(.notInOrder(sku: "SKU-SOCK")), "a wrong item is still named as such")
        #expect(verification.boxes.map(\.countedUnits) == [1, 0])
        verification.closedBoxes = [1]
        #expect(verification.apply(.scan("4006381333931")).isAccepted)
        #expect(verification.boxes.map(\.countedUnits) == [1, 1])
    }

    @Test func replayingTheGesturesGivesBackTheSameState() {
        let gestures: [PackGesture] = [.scan("4006381333931"), .scan("96385074"), .byHand(sku: "SKU-MUG"), .scan("036000291452")]
        var first = Self.verification()
        let outcomes = gestures.map { first.apply($0) }
        var replay = Self.verification()
        #expect(gestures.map { replay.apply($0) } == outcomes)
        #expect(replay == first)
    }

    @Test func theWeightCheck_allowsTheLargerOfItsTwoTolerances() {
        let check = WeightCheck(toleranceLb: 0.2, tolerancePercent: 5)
        #expect(check.judge(expectedLb: 2, measuredLb: 2.19).isWithin)  // 0.2 lb beats 5 % of 2 lb
        #expect(!check.judge(expectedLb: 2, measuredLb: 2.25).isWithin)
        #expect(check.judge(expectedLb: 20, measuredLb: 19.05).isWithin)  // 5 % of 20 lb is 1 lb
        #expect(check.judge(expectedLb: 20, measuredLb: 18.9) == .mismatch(differenceLb: 18.9 - 20, allowedLb: 1))
    }
}

@Suite struct GTINTests {
    @Test func checkDigitsOfEveryLength() {
        for valid in ["96385074", "036000291452", "4006381333931", "14006381333938"] { #expect(GTIN.isValid(valid), "\(valid)") }
        for invalid in ["96385075", "036000291453", "400638133393", "4006381333931x", "", "４００６３８１３３３９３１"] {
            #expect(!GTIN.isValid(invalid), "\(invalid)")
        }
        #expect(GTIN.complete("400638133393") == "4006381333931")
        #expect(GTIN.complete("12") == nil)
    }

    @Test func theContractRefusesASKUWhoseBarcodeIsNotAGTIN() throws {
        func problem(_ barcodes: String) -> String? {
            let json = """
                {"id":"S","name":"n","dims":[1,1,1],"weight_lb":1,"location":"A","ship_alone":false,"keep_upright":false,"mix_class":"general","barcodes":\(barcodes)}
                """
            return CentralValidation.problem(entity: "sku", data: Data(json.utf8))
        }
        #expect(problem(#"[{"code":"4006381333931","units":1}]"#) == nil)
        #expect(problem(#"[{"code":"4006381333932","units":1}]"#)?.contains("check digit") == true)
        #expect(problem(#"[{"code":"4006381333931","units":0}]"#)?.contains("units") == true)
        #expect(problem(#"[{"code":"4006381333931","units":1},{"code":"4006381333931","units":6}]"#)?.contains("twice") == true)
    }
}
