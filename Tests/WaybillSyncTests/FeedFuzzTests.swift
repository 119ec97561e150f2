import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillSync
import WaybillTestSupport

/// 10,000 mutated pages through the parser and the apply path, seeded so a failure repeats: nothing
/// crashes, a page the parser reads always applies (a bad change is quarantined, never thrown, so
/// it cannot stall the feed), and after every page every replica row decodes with the contract types.
/// (It found, and now pins: a field named twice in a change, an upsert without data, a lone surrogate
/// escape, an escape or invalid UTF-8 in a key, a number with a leading zero, and order fields of the
/// wrong type or an address missing fields, all of which used to reach the replica.)
@Suite struct FeedFuzzTests {
    static let sku =
        #"{"entity":"sku","id":"SKU-1","version":VERSION,"op":"upsert","data":{"id":"SKU-1","name":"Mug \"Zoë\"","dims":[4,3,2],"weight_lb":1.5,"#
        + #""location":"A","ship_alone":false,"keep_upright":false,"mix_class":"general"}}"#
    static let box =
        #"{"entity":"box","id":"B-1","version":VERSION,"op":"upsert","data":{"id":"B-1","inner":[10,8,6],"outer":[10.25,8.25,6.25],"#
        + #""tare_lb":0.5,"max_gross_lb":40,"material_cost":0.35}}"#
    static let stock = #"{"entity":"stock","id":"SKU-1@A","version":VERSION,"op":"upsert","data":{"sku":"SKU-1","location":"A","quantity":12}}"#

    static func order(_ id: String) -> String {
        let lines = #"[{"line_no":1,"sku":"SKU-1","quantity":2},{"line_no":2,"sku":"SKU-1","quantity":1}]"#
        let data = orderData(id: id, lines: lines, extra: #""station_id":"station-1","#)
        return #"{"entity":"order","id":"\#(id)","version":VERSION,"op":"upsert","data":\#(data)}"#
    }

    /// Bytes that make JSON interesting where they land.
    static let tokens: [[UInt8]] =
        [
            "{", "}", "[", "]", "\"", "\\", ",", ":", "0", "-", "e", "1", "null", "tru", "1e999", "100000000000000000000", "\\u00", "\\ud800",
            String(repeating: "[", count: 40), "\"line_no\":1,", "\"quantity\":-1", "..", "/",
        ].map { Array($0.utf8) } + [[0x01], [0xFF], [0xC3], [0x00]]

    @Test func tenThousandMutatedPages_neverCrash_alwaysApplyWhenRead_andLeaveADecodableReplica() throws {
        let (folder, store) = try WaybillStore.fixture()
        defer { withExtendedLifetime(folder) {} }
        let template = "[" + [Self.sku, Self.box, Self.stock, Self.order("O-1"), Self.order("O-2"), Self.order("O-3")].joined(separator: ",") + "]"
        var random = SeededRandom(seed: 20_261_206)
        var read = 0
        var firstBad: String?
        var applied = 0
        var quarantined = 0
        for round in 0..<10_000 {
            // Each round's versions are newer, so what survives its mutations applies.
            var changes = Array(template.replacingOccurrences(of: "VERSION", with: "\(round + 1)").utf8)
            for _ in 0..<Int.random(in: 1...4, using: &random) { Self.mutate(&changes, using: &random) }
            // Most pages carry the checksum of what they hold, so the mutations reach the apply path.
            let checksum = Int.random(in: 0..<10, using: &random) == 0 ? "0000000000000000" : FeedChecksum.of(changes)
            let page =
                Array(#"{"changes":"#.utf8) + changes + Array(#","next_cursor":"1.\#(round)","has_more":false,"checksum":"\#(checksum)"}"#.utf8)
            guard let parsed = try? FeedPageParser.parse(page), parsed.checksum == parsed.computedChecksum else { continue }
            read += 1
            let outcome = try store.applyPulledBatch(parsed.changes, cursor: parsed.nextCursor)
            // After every page, not only at the end: a later version must not hide a bad row that was read meanwhile.
            if let bad = try store.replicaRowsBreakingTheContract().first, firstBad == nil {
                firstBad = "round \(round): \(bad) after the page \(String(decoding: changes, as: UTF8.self))"
            }
            applied += outcome.applied
            quarantined += outcome.quarantined
        }
        print("fuzz: 10000 pages, \(read) read, \(applied) changes applied, \(quarantined) quarantined")
        #expect(
            read > 1_000 && applied > 100 && quarantined > 100,
            "the mutations reach every path: \(read) read, \(applied) applied, \(quarantined) quarantined"
        )
        #expect(firstBad == nil, "a row that does not decode entered the replica: \(firstBad ?? "")")
        #expect(try store.replicaRowsBreakingTheContract().isEmpty)
        _ = try store.orderSummaries()
    }

    static func mutate(_ bytes: inout [UInt8], using random: inout SeededRandom) {
        guard !bytes.isEmpty else { return }
        let at = Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<5, using: &random) {
        case 0: bytes[at] = UInt8.random(in: 0...255, using: &random)
        case 1: bytes.insert(contentsOf: tokens.randomElement(using: &random)!, at: at)
        case 2: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...16, using: &random)))
        case 3:
            let end = min(bytes.count, at + Int.random(in: 1...40, using: &random))
            bytes.insert(contentsOf: bytes[at..<end], at: Int.random(in: 0..<bytes.count, using: &random))
        default:
            // A digit becomes a number out of every range.
            if let digit = bytes[at...].firstIndex(where: { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
                bytes.replaceSubrange(digit...digit, with: Array(["99999999999", "0", "-7", "1.5e300"].randomElement(using: &random)!.utf8))
            }
        }
    }
}
