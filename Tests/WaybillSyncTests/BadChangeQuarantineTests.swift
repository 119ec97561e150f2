import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillSync
import WaybillTestSupport

/// One bad change in the feed never stalls a station: a page holding good orders beside bad ones
/// of every kind the edge checks applies its good orders and moves its cursor on, each bad change
/// is quarantined with a reason a person can act on, and the replica keeps answering.
@Suite struct BadChangeQuarantineTests {
    /// Bad orders of every kind the edge checks (shared with the agent's end-to-end test).
    static let bad = BadCentralChanges.orders

    private static func change(_ id: String, _ data: String, version: Int = 5) -> String {
        #"{"entity":"order","id":"\#(id)","version":\#(version),"op":"upsert","data":\#(data)}"#
    }

    private static func page(_ changes: [String], cursor: String) -> [UInt8] {
        let array = "[" + changes.joined(separator: ",") + "]"
        return Array(#"{"changes":\#(array),"next_cursor":"\#(cursor)","has_more":false,"checksum":"\#(FeedChecksum.of(Array(array.utf8)))"}"#.utf8)
    }

    private static func good(_ id: String) -> String {
        orderData(id: id, lines: #"[{"line_no":1,"sku":"S-1","quantity":2}]"#, extra: #""station_id":"station-1","#)
    }

    @Test func aPageWithBadChangesOfEveryKind_appliesItsGoodOrders_andQuarantinesEachBadOneWithItsReason() throws {
        let (folder, store) = try WaybillStore.fixture()
        defer { withExtendedLifetime(folder) {} }
        let changes =
            [Self.change("O-GOOD-1", Self.good("O-GOOD-1"))] + Self.bad.map { Self.change($0.id, $0.data) } + [
                Self.change("O-GOOD-2", Self.good("O-GOOD-2"))
            ]

        let page = try FeedPageParser.parse(Self.page(changes, cursor: "1.40"))
        #expect(page.checksum == page.computedChecksum)
        #expect(page.changes.count == Self.bad.count + 2, "every change of the page is read, the bad ones too")
        let outcome = try store.applyPulledBatch(page.changes, cursor: page.nextCursor)
        #expect(outcome.applied == 2)
        #expect(outcome.quarantined == Self.bad.count)
        #expect(try store.cursor() == "1.40", "the cursor moves past the bad changes")

        let quarantined = Dictionary(uniqueKeysWithValues: try store.quarantined().map { ($0.id, $0.reason) })
        for bad in Self.bad {
            let reason = quarantined[bad.id] ?? "not quarantined"
            #expect(reason.contains(bad.reason), "\(bad.id): \(reason)")
            #expect(try store.order(id: bad.id) == nil, "\(bad.id) reached the replica")
        }
        // The replica still answers, for every order.
        #expect(try store.orderSummaries().map(\.id).sorted() == ["O-GOOD-1", "O-GOOD-2"])

        // A newer, valid version of a quarantined order supersedes it.
        let fixed = try FeedPageParser.parse(Self.page([Self.change("O-HUGE", Self.good("O-HUGE"), version: 6)], cursor: "1.41"))
        #expect(try store.applyPulledBatch(fixed.changes, cursor: fixed.nextCursor).applied == 1)
        #expect(try store.quarantined().contains { $0.id == "O-HUGE" } == false)
        #expect(try store.order(id: "O-HUGE")?.lines.first?.quantity == 2)
    }

    private static func sku(_ id: String, dims: String = "[4,3,2]", weight: String = "1.5") -> String {
        #"{"entity":"sku","id":"\#(id)","version":3,"op":"upsert","data":{"id":"\#(id)","name":"Mug","dims":\#(dims),"weight_lb":\#(weight),"#
            + #""location":"A","ship_alone":false,"keep_upright":false,"mix_class":"general"}}"#
    }

    @Test func skusAndBoxes_areCheckedAgainstTheContractTypesAndRanges() throws {
        let (folder, store) = try WaybillStore.fixture()
        defer { withExtendedLifetime(folder) {} }
        let changes = [
            Self.sku("SKU-GOOD"),
            Self.sku("SKU-NEG", dims: "[4,-3,2]"),
            Self.sku("SKU-HEAVY", weight: "90000"),
            Self.sku("SKU-FLAT", dims: "[4,3]"),
            #"{"entity":"sku","id":"SKU-TYPE","version":3,"op":"upsert","data":{"id":"SKU-TYPE","name":7}}"#,
            Self.sku("SKU-OTHER").replacingOccurrences(of: #""data":{"id":"SKU-OTHER""#, with: #""data":{"id":"SKU-ELSE""#),
            Self.sku("SKU-FORMS").replacingOccurrences(
                of: #""mix_class":"general"}"#,
                with: #""mix_class":"general","barcodes":[{"code":"012345678905","units":1},{"code":"0012345678905","units":1}]}"#
            ),
            Self.sku("SKU-CODES").replacingOccurrences(
                of: #""mix_class":"general"}"#,
                with: #""mix_class":"general","barcodes":[{"code":"012345678905","units":1},{"code":"0012345678905","units":12}]}"#
            ),
            #"{"entity":"box","id":"B-BAD","version":3,"op":"upsert","data":{"id":"B-BAD","inner":[10,8,6],"outer":[10.25,8.25,6.25],"#
                + #""tare_lb":0.5,"max_gross_lb":40,"material_cost":-1}}"#,
            #"{"entity":"box","id":"B-OTHER","version":3,"op":"upsert","data":{"id":"B-ELSE","inner":[10,8,6],"outer":[10.25,8.25,6.25],"#
                + #""tare_lb":0.5,"max_gross_lb":40,"material_cost":1}}"#,
        ]
        let page = try FeedPageParser.parse(Self.page(changes, cursor: "1.9"))
        let problems = Dictionary(uniqueKeysWithValues: page.changes.map { ($0.id, $0.problem) })
        #expect(problems["SKU-GOOD"] == .some(nil))
        #expect(problems["SKU-NEG"]??.contains("dims -3.0 is outside") == true, "\(String(describing: problems["SKU-NEG"]))")
        #expect(problems["SKU-HEAVY"]??.contains("weight_lb 90000.0 is outside") == true)
        #expect(problems["SKU-FLAT"]??.contains("dims must have 3 numbers") == true)
        #expect(problems["SKU-TYPE"]??.contains("does not match the contract") == true)
        #expect(problems["B-BAD"]??.contains("material_cost -1.0 is outside") == true)
        #expect(problems["B-OTHER"]??.contains("its data names 'B-ELSE', not the change's id 'B-OTHER'") == true)
        #expect(problems["SKU-OTHER"]??.contains("its data names 'SKU-ELSE', not the change's id 'SKU-OTHER'") == true)
        // A UPC-A and its EAN-13 form (a leading 0) are one code to a scanner: both may be listed
        // (a storefront matches the form it holds), but not counting different units.
        #expect(
            problems["SKU-CODES"]??.contains("barcode 0012345678905 is listed twice, counting 1 and 12 units") == true,
            "\(String(describing: problems["SKU-CODES"]))"
        )
        #expect(problems["SKU-FORMS"] == .some(nil), "\(String(describing: problems["SKU-FORMS"]))")
        let outcome = try store.applyPulledBatch(page.changes, cursor: page.nextCursor)
        #expect(outcome.applied == 2 && outcome.quarantined == 8)
        #expect(try store.replicaVersions(of: .sku).keys.sorted() == ["SKU-FORMS", "SKU-GOOD"])
    }

    private static func stock(_ id: String, _ data: String) -> String {
        #"{"entity":"stock","id":"\#(id)","version":2,"op":"upsert","data":{\#(data)}}"#
    }

    private static func label(_ id: String, _ data: String) -> String {
        #"{"entity":"label","id":"\#(id)","version":2,"op":"upsert","data":{\#(data)}}"#
    }

    /// A PDF's first and last bytes, in base64.
    private static let pdf = Data("%PDF-1.4\n%%EOF\n".utf8).base64EncodedString()
    private static let labelBody = body()

    /// A label's fields beside its ids and document.
    private static func body(boxNo: String = "1", cost: String = "8.45") -> String {
        #""box_no":\#(boxNo),"carrier":"SIM","service":"ground","tracking_number":"1Z1","cost":\#(cost)"#
    }

    /// Stock and carrier labels are checked at the edge by their contract types, as SKUs are: a
    /// change of the wrong type, without a field the station needs, or out of range never reaches
    /// the replica (a label without its order was stored with an empty order id).
    @Test func stockAndLabels_areCheckedAgainstTheContractTypesAndRanges() throws {
        let (folder, store) = try WaybillStore.fixture()
        defer { withExtendedLifetime(folder) {} }
        let changes = [
            Self.stock("S-1@A", #""sku":"S-1","location":"A","quantity":12"#),
            Self.stock("S-5@A", #""sku":"S-5","location":"A","quantity":12.0"#),
            Self.stock("S-2@A", #""sku":"S-2","location":"A","quantity":"twelve""#),
            Self.stock("S-3@A", #""sku":"S-3","location":"A","quantity":1.5"#),
            Self.stock("S-4@A", #""sku":"S-4","quantity":3"#),
            Self.stock("S-6@A", #""sku":6,"location":"A","quantity":3"#),
            Self.stock("S-7@A", #""sku":"S-7","location":"A","quantity":"12""#),
            Self.stock("S-8@A", #""sku":"S-8","location":"A","quantity":100000000"#),
            Self.stock("S-9@A", #""sku":"S..9","location":"A","quantity":1"#),
            Self.label("CL-1", #""label_id":"CL-1","order_id":"O-1",\#(Self.labelBody),"format":"zpl","zpl":"^XA^XZ""#),
            Self.label("CL-2", #""label_id":"CL-2",\#(Self.labelBody),"format":"zpl","zpl":"^XA^XZ""#),
            Self.label("CL-3", #""label_id":"CL/3","order_id":"O-1",\#(Self.labelBody),"format":"zpl","zpl":"^XA^XZ""#),
            Self.label("CL-4", #""label_id":"CL-4","order_id":"O-1",\#(Self.labelBody),"format":"pdf","zpl":"^XA^XZ""#),
            Self.label("CL-5", #""label_id":"CL-5","order_id":"O-1",\#(Self.labelBody),"format":"png","zpl":"^XA^XZ""#),
            Self.label("CL-6", #""label_id":"CL-6","order_id":"O 1",\#(Self.labelBody),"format":"zpl","zpl":"^XA^XZ""#),
            Self.label("CL-7", #""label_id":"CL-7","order_id":"O-1",\#(Self.labelBody),"format":"zpl","zpl":"LABEL""#),
            Self.label("CL-8", #""label_id":"CL-8","order_id":"O-1",\#(Self.labelBody),"format":"pdf","pdf_base64":"JVBERi0x\nLjQK""#),
            Self.label("CL-9", #""label_id":"CL-9","order_id":"O-1",\#(Self.labelBody),"format":"pdf","pdf_base64":"aGVsbG8=""#),
            Self.label("CL-10", #""label_id":"CL-10","order_id":"O-1",\#(Self.labelBody),"format":"pdf","pdf_base64":"\#(Self.pdf)""#),
            Self.label(
                "CL-11",
                #""label_id":"CL-11","order_id":"O-1",\#(Self.labelBody),"format":"pdf","pdf_base64":"\#(Self.pdf)","zpl":"^XA^XZ""#
            ),
            Self.label("CL-12", #""label_id":"CL-12","order_id":"O-1",\#(Self.body(boxNo: "0")),"format":"zpl","zpl":"^XA^XZ""#),
            Self.label("CL-13", #""label_id":"CL-13","order_id":"O-1",\#(Self.body(cost: "-0.01")),"format":"zpl","zpl":"^XA^XZ""#),
            Self.label("CL-14", #""label_id":"CL-14","order_id":"O-1",\#(Self.body(cost: "100000.5")),"format":"zpl","zpl":"^XA^XZ""#),
            // A carrier's logo downloaded before the format: ZPL as carriers send it.
            Self.label("CL-15", #""label_id":"CL-15","order_id":"O-1",\#(Self.labelBody),"format":"zpl","zpl":"~DGR:L.GRF,2,1,FF\n^XA^XZ""#),
        ]
        let page = try FeedPageParser.parse(Self.page(changes, cursor: "1.12"))
        let problems = Dictionary(uniqueKeysWithValues: page.changes.map { ($0.id, $0.problem) })
        let expected: [String: String] = [
            "S-2@A": "does not match the contract",
            "S-3@A": "does not match the contract",
            "S-4@A": "does not match the contract",
            "S-6@A": "does not match the contract",
            "S-7@A": "does not match the contract",
            "S-8@A": "quantity 100000000 is outside -10000000...10000000",
            // Text that is not an identifier is not repeated in the reason (it reaches terminals and pages).
            "S-9@A": "its data names an id that is not an identifier, not the change's id 'S-9@A'",
            "CL-2": "does not match the contract",
            "CL-3": "its data names an id that is not an identifier, not the change's id 'CL-3'",
            "CL-6": "its order_id may hold only letters",
            "CL-7": "its zpl is not a ZPL program",
            "CL-8": "its pdf_base64 is not a PDF in base64 without line breaks",
            "CL-9": "its pdf_base64 is not a PDF in base64 without line breaks",
            "CL-4": "a pdf label needs its pdf_base64",
            "CL-5": #"format "png" must be zpl or pdf"#,
            "CL-12": "box_no 0 must be 1 or more",
            "CL-13": "cost -0.01 is outside 0.0...100000.0",
            "CL-14": "cost 100000.5 is outside 0.0...100000.0",
        ]
        for (id, reason) in expected {
            #expect(problems[id]??.contains(reason) == true, "\(id): \(String(describing: problems[id]))")
        }
        #expect(problems["S-1@A"] == .some(nil) && problems["S-5@A"] == .some(nil) && problems["CL-1"] == .some(nil))
        // A document beside the one the format names is ignored, as the print path ignores it.
        #expect(problems["CL-10"] == .some(nil) && problems["CL-11"] == .some(nil))
        #expect(problems["CL-15"] == .some(nil), "\(String(describing: problems["CL-15"]))")

        let outcome = try store.applyPulledBatch(page.changes, cursor: page.nextCursor)
        #expect(outcome.applied == 6 && outcome.quarantined == expected.count)
        #expect(Set(try store.quarantined().map(\.id)) == Set(expected.keys))
        #expect(try store.replicaVersions(of: .stock).keys.sorted() == ["S-1@A", "S-5@A"])
        #expect(try store.replicaVersions(of: .label).keys.sorted() == ["CL-1", "CL-10", "CL-11", "CL-15"])
        #expect(try store.replicaRowsBreakingTheContract().isEmpty)
    }

    /// A stock whose SKU holds `@` (an identifier may) is deleted by its whole id, not by splitting it.
    @Test func aStockWhoseSKUHoldsAnAt_isDeletedByItsWholeID() throws {
        let (folder, store) = try WaybillStore.fixture()
        defer { withExtendedLifetime(folder) {} }
        let upsert = try FeedPageParser.parse(
            Self.page(
                [
                    Self.stock("KIT@2@A", #""sku":"KIT@2","location":"A","quantity":4"#),
                    Self.stock("KIT@A", #""sku":"KIT","location":"A","quantity":1"#),
                ],
                cursor: "1.2"
            )
        )
        #expect(upsert.changes.allSatisfy { $0.problem == nil })
        _ = try store.applyPulledBatch(upsert.changes, cursor: upsert.nextCursor)
        let delete = try FeedPageParser.parse(Self.page([#"{"entity":"stock","id":"KIT@2@A","version":3,"op":"delete"}"#], cursor: "1.3"))
        #expect(try store.applyPulledBatch(delete.changes, cursor: delete.nextCursor).applied == 1)
        #expect(try store.replicaVersions(of: .stock).keys.sorted() == ["KIT@A"])
    }

    /// A stock change that did not come through the feed parser, and that the store cannot read, is
    /// kept with its reason by the store's own guard, never counted and dropped.
    @Test func aStockChangeTheStoreCannotRead_isQuarantinedWithItsReason() throws {
        let (folder, store) = try WaybillStore.fixture()
        defer { withExtendedLifetime(folder) {} }
        func stock(_ id: String, _ fields: IndexedFields) -> PulledChange {
            PulledChange(entity: "stock", id: id, version: 2, op: "upsert", data: "{}", fields: fields)
        }
        let changes = [
            stock("S-1@A", ["sku": "S-1", "location": "A", "quantity": "1.2e1"]),
            stock("S-2@A", ["sku": "S-2", "location": "A", "quantity": "twelve"]),
            stock("S-3@A", ["sku": "S-3", "location": "A", "quantity": "1.5"]),
            stock("S-4@A", ["sku": "S-4", "quantity": "3"]),
        ]
        let outcome = try store.applyPulledBatch(changes, cursor: "1.12")
        #expect(outcome.applied == 1 && outcome.quarantined == 3)
        let reasons = Dictionary(uniqueKeysWithValues: try store.quarantined().map { ($0.id, $0.reason) })
        for id in ["S-2@A", "S-3@A", "S-4@A"] {
            #expect(
                reasons[id]?.contains("needs sku and location strings and a whole-number quantity") == true,
                "\(id): \(String(describing: reasons[id]))"
            )
        }
        #expect(try store.replicaVersions(of: .stock).keys.sorted() == ["S-1@A"])
    }

    /// The hub's own seed (hostile addresses, every packing rule) keeps every check: nothing of it is quarantined.
    @Test func theSeed_passesEveryCheck() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"), orders: 200)
        let station = try SyncHarness(hub: hub)
        try await station.settle()
        let quarantined = try station.store.quarantined()
        #expect(quarantined.isEmpty, "\(quarantined.prefix(3))")
        for entity in ["order", "sku", "box", "rules", "rate_table"] {
            let view = try await SyncHarness.hubView(hub, entity: entity)
            #expect(!view.isEmpty, "the hub's view of \(entity) is empty")
        }
        #expect(try station.store.replicaVersions(of: .sku) == (try await SyncHarness.hubView(hub, entity: "sku")))
        #expect(try station.store.replicaVersions(of: .box) == (try await SyncHarness.hubView(hub, entity: "box")))
        await hub.stop()
    }

    @Test func aPageThatIsNotJSONAtAll_isStillASchemaError() {
        for text in [#"{"changes":[{"entity":"order","id":"O","version":1,"op":"upsert","data":{"a":"unterminated}]"#, #"{"changes":[}"#] {
            let error = #expect(throws: SyncError.self) { try FeedPageParser.parse(Array(text.utf8)) }
            #expect(error?.code == .feedUnreadable)
        }
    }
}
