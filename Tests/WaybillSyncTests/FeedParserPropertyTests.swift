import PropertyBased
import Testing
import WaybillCore
import WaybillStore
import WaybillSync

@Suite struct FeedParserPropertyTests {
    /// Any text the hub escapes comes back from the parser unchanged, and the page's checksum verifies.
    @Test func anyEscapedTextRoundTrips() async {
        let text = Gen.unicodeScalar(in: "\u{0}"..."\u{2FF}").array(of: 0...40).map { String(String.UnicodeScalarView($0)) }
        await propertyCheck(input: text, text) { id, name in
            let changes =
                "[{\"entity\":\"sku\",\"id\":\(JSONStringLiteral.quote(id)),\"version\":3,\"op\":\"upsert\","
                + "\"data\":{\"name\":\(JSONStringLiteral.quote(name))}}]"
            let page = "{\"changes\":\(changes),\"next_cursor\":\"1.1\",\"has_more\":true,\"checksum\":\"\(FeedChecksum.of(Array(changes.utf8)))\"}"
            let parsed = try FeedPageParser.parse(Array(page.utf8))
            #expect(parsed.changes.first?.id == id)
            #expect(parsed.checksum == parsed.computedChecksum)
            #expect(parsed.changes.first?.data == "{\"name\":\(JSONStringLiteral.quote(name))}")
        }
    }
}
