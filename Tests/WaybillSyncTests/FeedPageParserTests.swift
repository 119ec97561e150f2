import Testing
import WaybillCore
import WaybillStore
import WaybillSync
import WaybillTestSupport

@Suite struct FeedPageParserTests {
    private func page(_ changes: String, extra: String = "") -> [UInt8] {
        let checksum = FeedChecksum.of(Array(changes.utf8))
        return Array("{\(extra)\"changes\":\(changes),\"next_cursor\":\"1.7\",\"has_more\":false,\"checksum\":\"\(checksum)\"}".utf8)
    }

    @Test func parsesEnvelopes_keepsDataVerbatim_andReadsOrderFields() throws {
        let data =
            #"{"id":"O-1","state":"assigned","station_id":"s-1","claimed_by":null,"content_version":3,"ship_to":{"name":"Zoë \"Q\" ^FS","street1":"1 Main St","city":"Lyon","region":"ARA","postal_code":"69001","country":"FR"},"lines":[{"line_no":1,"sku":"SKU-1","quantity":2}],"#
            + #""warehouse":"W1","reference":"R-1","service_level":"standard","residential":false,"zones":{"A":4}}"#
        let changes = #"[{"entity":"order","id":"O-1","version":7,"op":"upsert","data":"# + data + "}]"
        let parsed = try FeedPageParser.parse(page(changes))
        #expect(parsed.checksum == parsed.computedChecksum)
        #expect(parsed.nextCursor == "1.7")
        #expect(!parsed.hasMore)
        let change = try #require(parsed.changes.first)
        #expect(change.entity == "order" && change.id == "O-1" && change.version == 7 && change.op == "upsert")
        #expect(change.data == data)
        #expect(change.fields["state"] == "assigned")
        #expect(change.fields["content_version"] == "3")
        #expect(change.fields["claimed_by"] == nil)
        #expect(change.linesDigest == OrderLinesDigest([(sku: "SKU-1", quantity: 2)]).storedValue)
        #expect(change.problem == nil)
    }

    @Test func toleratesUnknownFieldsAndWhitespace_andUnescapesStrings() throws {
        let changes =
            "[ {\"x_new\": {\"a\": [1, 2, {\"b\": null}]}, \"entity\" : \"sku\", \"id\":\"S\\u00e9-\\ud83d\\ude00\",\"version\":1,\"op\":\"upsert\",\"data\":null} ]"
        let parsed = try FeedPageParser.parse(page(changes, extra: "\"server_time\": \"now\", "))
        #expect(parsed.changes.first?.id == "Sé-😀")
        #expect(parsed.changes.first?.data == nil)
    }

    @Test(arguments: [
        #"{"changes":[{"entity":"sku","id":"S","version":1,"op":"upsert","data":{}}],"next_cursor":"1.2","has_more":false,"checksum":"0"#,
        #"{"changes":[{"entity":"sku","version":1,"op":"upsert"}],"next_cursor":"1","has_more":false,"checksum":"x"}"#,
        #"{"changes":[],"has_more":false,"checksum":"x"}"#,
        // Two arrays of changes: the checksum would cover one of them.
        #"{"changes":[],"ch\u0061nges":[{"entity":"sku","id":"S","version":1,"op":"delete"}],"next_cursor":"1","has_more":false,"checksum":"x"}"#,
        "",
        "[]",
    ])
    func malformedPages_areSchemaErrors(_ text: String) {
        let error = #expect(throws: SyncError.self) { try FeedPageParser.parse(Array(text.utf8)) }
        #expect(error?.code == .feedUnreadable)
    }

    @Test func aLineWhoseSKUIsNotAString_isAProblemOfThatChangeOnly() throws {
        let bad = #"{"entity":"order","id":"O","version":1,"op":"upsert","data":"# + orderData(lines: #"[{"line_no":1,"sku":7,"quantity":1}]"#) + "}"
        let good =
            #"{"entity":"order","id":"O-2","version":1,"op":"upsert","data":"#
            + orderData(id: "O-2", lines: #"[{"line_no":1,"sku":"S-1","quantity":1}]"#) + "}"
        let parsed = try FeedPageParser.parse(page("[\(bad),\(good)]"))
        #expect(parsed.changes.map(\.id) == ["O", "O-2"])
        #expect(parsed.changes[0].problem?.contains("sku must be a string") == true, "\(String(describing: parsed.changes[0].problem))")
        #expect(parsed.changes[1].problem == nil)
    }

    /// A whole number one past Int.max (or a version that is not whole) is refused where it stands:
    /// in an order's data it quarantines the order; as a change's version it quarantines the change.
    /// Reading it used to trap (the last digit's addition was not checked), and a page the station
    /// cannot get past stalls its feed for good.
    @Test func aNumberOnePastIntMax_orAVersionThatIsNotWhole_quarantinesItsChangeOnly() throws {
        func order(_ id: String, version: String = "1", quantity: String = "1") -> String {
            #"{"entity":"order","id":"\#(id)","version":\#(version),"op":"upsert","data":"#
                + orderData(id: id, lines: #"[{"line_no":1,"sku":"S-1","quantity":\#(quantity)}]"#) + "}"
        }
        let changes = [
            order("O-Q", quantity: "9223372036854775808"), order("O-QMAX", quantity: "9223372036854775807"),
            order("O-V", version: "9223372036854775808"), order("O-VNEG", version: "-9223372036854775809"), order("O-VDEC", version: "1.5"),
            order("O-VSTR", version: #""3""#), order("O-MIN", version: "-9223372036854775808"), order("O-GOOD", version: "2"),
        ]
        let parsed = try FeedPageParser.parse(page("[" + changes.joined(separator: ",") + "]"))
        let problems = Dictionary(uniqueKeysWithValues: parsed.changes.map { ($0.id, $0.problem) })
        #expect(problems["O-Q"]??.contains("number too large") == true, "\(String(describing: problems["O-Q"]))")
        #expect(problems["O-QMAX"]??.contains("quantity 9223372036854775807 is outside") == true)
        for id in ["O-V", "O-VNEG"] {
            #expect(problems[id]??.contains("its version is not a whole number (number too large)") == true, "\(id)")
        }
        for id in ["O-VDEC", "O-VSTR"] { #expect(problems[id]??.contains("its version is not a whole number") == true, "\(id)") }
        // Int.min reads (no trap), but a version below 1 is none the feed writes.
        #expect(problems["O-MIN"]??.contains("its version -9223372036854775808 must be 1 or more") == true)
        #expect(parsed.changes.first { $0.id == "O-MIN" }?.version == Int.min)
        #expect(problems["O-GOOD"] == .some(nil))
        // A version that is not JSON at all still makes the page unreadable.
        let broken = #"[{"entity":"order","id":"O-X","version":-,"op":"upsert","data":{}}]"#
        #expect(throws: SyncError.self) { try FeedPageParser.parse(page(broken)) }
    }

    @Test func aChangedByte_failsTheChecksum() throws {
        var bytes = page(#"[{"entity":"sku","id":"S","version":1,"op":"upsert","data":{"name":"a"}}]"#)
        let index = bytes.firstIndex(of: UInt8(ascii: "a"))!
        bytes[index] = UInt8(ascii: "b")
        let parsed = try FeedPageParser.parse(bytes)
        #expect(parsed.checksum != parsed.computedChecksum)
    }

    @Test func connectivity_followsRecentResults() {
        #expect(Connectivity.from(recent: []) == .offline)
        #expect(Connectivity.from(recent: [nil]) == .offline)
        #expect(Connectivity.from(recent: [true, nil]) == .degraded)
        #expect(Connectivity.from(recent: [true, nil, nil]) == .offline)
        #expect(Connectivity.from(recent: [nil, nil, false]) == .degraded)
        #expect(Connectivity.from(recent: [nil, nil, true]) == .online)
    }
}

/// The lines digest the replica compares to notice a central edit of an order's lines.
@Suite struct OrderLinesDigestTests {
    @Test func ignoresFormatting_butNotContent() throws {
        func digest(_ lines: String) throws -> Int64? {
            let changes = #"[{"entity":"order","id":"O","version":1,"op":"upsert","data":"# + orderData(lines: lines) + "}]"
            let checksum = FeedChecksum.of(Array(changes.utf8))
            let bytes = Array("{\"changes\":\(changes),\"next_cursor\":\"1.1\",\"has_more\":false,\"checksum\":\"\(checksum)\"}".utf8)
            return try FeedPageParser.parse(bytes).changes.first?.linesDigest
        }
        let base = try digest(#"[{"line_no":1,"sku":"A","quantity":2},{"line_no":2,"sku":"B","quantity":10}]"#)
        #expect(try digest(#"[ { "quantity" : 2, "sku" : "A", "line_no": 1 } , {"sku":"B","quantity":10,"line_no":2} ]"#) == base)
        #expect(try digest(#"[{"line_no":1,"sku":"A","quantity":2},{"line_no":2,"sku":"B","quantity":1}]"#) != base)
        #expect(try digest(#"[{"line_no":1,"sku":"A","quantity":21},{"line_no":2,"sku":"B","quantity":3}]"#) != base)
        #expect(try digest(#"[{"line_no":1,"sku":"B","quantity":10},{"line_no":2,"sku":"A","quantity":2}]"#) != base)
        #expect(try digest(#"[{"line_no":1,"sku":"A","quantity":2}]"#) != base)
        #expect(base == OrderLinesDigest([(sku: "A", quantity: 2), (sku: "B", quantity: 10)]).storedValue)
        // An escaped SKU is the same SKU as its plain spelling.
        #expect(try digest(#"[{"line_no":1,"sku":"\u0041","quantity":2},{"line_no":2,"sku":"B","quantity":10}]"#) == base)
        #expect(try digest(#"[{"line_no":1,"sku":"SKU\u002D1","quantity":2}]"#) == OrderLinesDigest([(sku: "SKU-1", quantity: 2)]).storedValue)
    }
}

/// The cursor read from a page's end, to fetch the next page while this one is parsed.
@Suite struct NextCursorHintTests {
    @Test func readsTheCursorAndHasMore_fromThePagesEnd() {
        let page =
            #"{"changes":[{"entity":"order","id":"O","version":1,"op":"upsert","data":{"note":"\"next_cursor\":\"9.9\""}}],"#
            + #""next_cursor":"3.1200","has_more":true,"head":"3.5000","checksum":"0011223344556677"}"#
        let hint = FeedPageParser.nextCursor(atEndOf: Array(page.utf8))
        #expect(hint?.cursor == "3.1200" && hint?.hasMore == true)
        #expect(FeedPageParser.nextCursor(atEndOf: Array(#"{"next_cursor":"3.1","has_more":false}"#.utf8))?.hasMore == false)
    }

    @Test func givesNoHint_whenThePageNamesNone() {
        #expect(FeedPageParser.nextCursor(atEndOf: Array(#"{"changes":[],"has_more":true}"#.utf8)) == nil)
        #expect(FeedPageParser.nextCursor(atEndOf: Array(#"{"next_cursor":"3.1"}"#.utf8)) == nil)
        #expect(FeedPageParser.nextCursor(atEndOf: []) == nil)
    }
}
