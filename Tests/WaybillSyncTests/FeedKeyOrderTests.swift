import Testing
import WaybillCore
import WaybillStore
import WaybillSync

/// The parser expects each object's keys in the order the central API writes them, and must read
/// any other order, spacing or look-alike key exactly as it reads that one.
@Suite struct FeedKeyOrderTests {
    /// An object's members as text: `"key":value`, joined with optional spacing.
    private struct Members {
        var members: [(key: String, value: String)]

        func text(shuffledBy random: inout SeededRandom?) -> String {
            var members = members
            if random == nil {
                members.sort { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            } else {
                members.shuffle(using: &random!)
            }
            func space() -> String {
                guard random != nil else { return "" }
                return ["", " ", "\n ", "\t"][Int(random!.next() % 4)]
            }
            return "{" + space() + members.map { "\"\($0.key)\"" + space() + ":" + space() + $0.value }.joined(separator: space() + "," + space())
                + space() + "}"
        }
    }

    private func order(_ random: inout SeededRandom?) -> String {
        let address = Members(members: [
            ("name", #""Anna Müller""#), ("company", #""Hudba GmbH""#), ("street1", #""1 Main St""#), ("city", #""München""#),
            ("region", #""BY""#), ("postal_code", #""80331""#), ("country", #""DE""#), ("phone", "null"),
        ])
        let lines = (1...3).map { number in
            Members(members: [("line_no", "\(number)"), ("sku", "\"SKU-\(number)\""), ("quantity", "\(number + 1)")])
        }
        var linesText: [String] = []
        for line in lines { linesText.append(line.text(shuffledBy: &random)) }
        let data = Members(members: [
            ("id", #""O-7""#), ("state", #""assigned""#), ("station_id", #""station-1""#), ("claimed_by", "null"),
            ("content_version", "3"), ("warehouse", #""WH1""#), ("reference", ##""#7""##), ("service_level", #""cheapest""#),
            ("residential", "true"), ("ship_to", address.text(shuffledBy: &random)), ("lines", "[" + linesText.joined(separator: ",") + "]"),
            ("zones", #"{"A":2,"B":5}"#), ("x_note", #"{"state":"not this one"}"#),
        ])
        let envelope = Members(members: [
            ("entity", #""order""#), ("id", #""O-7""#), ("version", "4"), ("op", #""upsert""#), ("data", data.text(shuffledBy: &random)),
        ])
        return envelope.text(shuffledBy: &random)
    }

    /// The order with every object's keys sorted (as the central API writes its data).
    private func canonicalOrder() -> String {
        var canonical: SeededRandom? = nil
        return order(&canonical)
    }

    /// The problem of `good` with `old` replaced by `new` (which must be in it).
    private func problem(in good: String, replacing old: String, with new: String) throws -> String? {
        let text = good.replacingOccurrences(of: old, with: new)
        #expect(text != good, "\(old) is not in the order")
        return try parse(text).problem
    }

    private func parse(_ change: String) throws -> PulledChange {
        let changes = "[\(change)]"
        let page = "{\"changes\":\(changes),\"next_cursor\":\"1.1\",\"has_more\":false,\"checksum\":\"\(FeedChecksum.of(Array(changes.utf8)))\"}"
        return try #require(try FeedPageParser.parse(Array(page.utf8)).changes.first)
    }

    @Test func anOrder_inAnyKeyOrderAndSpacing_readsAsInTheCentralAPIsOrder() throws {
        var canonical: SeededRandom? = nil
        let expected = try parse(order(&canonical))
        #expect(expected.problem == nil, "\(expected.problem ?? "")")
        #expect(expected.fields.state == "assigned" && expected.fields.stationID == "station-1" && expected.fields.contentVersion == "3")
        #expect(
            expected.linesDigest
                == OrderLinesDigest([(sku: "SKU-1", quantity: 2), (sku: "SKU-2", quantity: 3), (sku: "SKU-3", quantity: 4)]).storedValue
        )
        var random: SeededRandom? = SeededRandom(seed: 14)
        for _ in 0..<300 {
            let text = order(&random)
            let change = try parse(text)
            #expect(change.problem == nil, "\(change.problem ?? "") in \(text)")
            #expect(change.entity == expected.entity && change.id == expected.id && change.version == expected.version && change.op == expected.op)
            #expect(change.fields == expected.fields, "\(text)")
            #expect(change.linesDigest == expected.linesDigest, "\(text)")
        }
    }

    @Test func aStockChange_inAnyKeyOrder_readsItsIndexedFields() throws {
        var random: SeededRandom? = SeededRandom(seed: 7)
        let stock = Members(members: [("sku", #""SKU-9""#), ("location", #""A-01""#), ("quantity", "12"), ("x_note", #""x""#)])
        for shuffle in [false, true, true, true] {
            var order: SeededRandom? = shuffle ? random : nil
            let data = stock.text(shuffledBy: &order)
            if shuffle { random = order }
            let change = try parse(#"{"entity":"stock","id":"SKU-9@A-01","version":2,"op":"upsert","data":"# + data + "}")
            #expect(change.problem == nil, "\(change.problem ?? "") in \(data)")
            #expect(change.fields.sku == "SKU-9" && change.fields.location == "A-01" && change.fields.quantity == "12", "\(data)")
        }
    }

    @Test func aKeyThatOnlyBeginsOrEndsLikeTheContractsOne_orIsEscaped_isNotTakenForIt() throws {
        let good = canonicalOrder()
        func problem(replacing old: String, with new: String) throws -> String? { try self.problem(in: good, replacing: old, with: new) }
        #expect(try problem(replacing: #""state":"assigned""#, with: #""states":"assigned""#)?.contains("an order needs state") == true)
        #expect(try problem(replacing: #""state":"assigned""#, with: #""stat":"assigned""#)?.contains("an order needs state") == true)
        #expect(try problem(replacing: #""state":"assigned""#, with: #""xstate":"assigned""#)?.contains("an order needs state") == true)
        #expect(try problem(replacing: #""city":"#, with: #""cityx":"#)?.contains("ship_to needs city") == true)
        #expect(try problem(replacing: #""city":"#, with: #""x_city":"#)?.contains("ship_to needs city") == true)
        #expect(try problem(replacing: #""quantity":2"#, with: #""quantit":2"#)?.contains("needs line_no, sku and quantity") == true)
        // The same key twice, one right after the other: the second is found by looking it up.
        #expect(try problem(replacing: #""state":"assigned""#, with: #""state":"assigned","state":"packed""#)?.contains("names state twice") == true)
        #expect(try problem(replacing: #""city":"München""#, with: #""city":"München","city":"Lyon""#)?.contains("names city twice") == true)
        #expect(try problem(replacing: #""op":"upsert""#, with: #""op":"upsert","op":"delete""#)?.contains("names op twice") == true)
        // A repeat found in place: after `entity` is looked up, the key expected next is `id` again.
        #expect(
            try problem(replacing: #""entity":"order","id":"O-7""#, with: #""id":"O-7","entity":"order","id":"O-8""#)?.contains("names id twice")
                == true
        )
    }

    /// A key of an entity's data that writes a letter (digit, `_`, ...) as an escape is refused,
    /// wherever it is: SQLite before 3.45 reads keys as written and the JSON decoder unescapes them,
    /// so beside (or instead of) the plain key they would see different lines, ids or barcodes.
    /// Escapes of `/` or non-ASCII text stay valid; an envelope's escaped key is the key it spells.
    @Test func aKeyOfTheDataThatEscapesALetter_isRefused_whereverItIs() throws {
        let good = canonicalOrder()
        func problem(replacing old: String, with new: String) throws -> String? { try self.problem(in: good, replacing: old, with: new) }
        let escaped: [(String, String)] = [
            (#""state":"assigned""#, #""st\u0061te":"assigned""#),
            (#""lines":["#, #""l\u0069nes":[{"line_no":1,"quantity":100000000,"sku":"../x"}],"lines":["#),
            (#""id":"O-7","lines""#, #""\u0069d":"O-8","id":"O-7","lines""#),
            (#""city":"München""#, #""c\u0069ty":"München""#),
            (#""quantity":2,"#, #""qu\u0061ntity":0,"quantity":2,"#),
            (#""zones":{"A":2"#, #""zones":{"\u0041":9,"A":2"#),
            (#""x_note":{"state":"#, #""x_note":{"st\u0061te":"#),
        ]
        // Canonical JSON sorts `data` before `entity`, so the data is checked before its entity is
        // known; the central API writes `entity` first, and the data is read as an order at once.
        let prefix = #"{"data":"#
        let rest = #","entity":"order","id":"O-7","op":"upsert","version":4}"#
        #expect(good.hasPrefix(prefix) && good.hasSuffix(rest))
        for (old, new) in escaped {
            let sorted = try problem(replacing: old, with: new)
            let data = good.replacingOccurrences(of: old, with: new).dropFirst(prefix.count).dropLast(rest.count)
            let entityFirst = try parse(#"{"entity":"order","id":"O-7","version":4,"op":"upsert","data":"# + data + "}").problem
            for reason in [sorted, entityFirst] {
                #expect(reason?.contains("a key writes a letter, digit or . _ : @ # - as a \\u escape") == true, "\(new): \(reason ?? "accepted")")
            }
        }
        // A SKU's or a label's data (checked by the contract's decoder) is held to the same rule.
        let sku = try parse(
            #"{"entity":"sku","id":"S-1","version":1,"op":"upsert","data":{"id":"S-1","name":"Mug","dims":[4,3,2],"weight_lb":1,"#
                + #""location":"A","ship_alone":false,"keep_upright":false,"mix_class":"general","b\u0061rcodes":[],"barcodes":[]}}"#
        )
        #expect(sku.problem?.contains("a key writes a letter, digit or . _ : @ # - as a \\u escape") == true, "\(sku.problem ?? "accepted")")
        // Non-ASCII text or a slash written with escapes is what many encoders do: still read.
        let accented = try problem(replacing: #""zones":{"A":2"#, with: #""zones":{"Gang-\u00c4":3,"A\/B":4,"A":2"#)
        #expect(accented == nil, "\(accented ?? "")")
        // The envelope is read by the scanner alone: an escaped key there is the key it spells.
        let envelope = try parse(good.replacingOccurrences(of: #""entity":"order""#, with: #""entit\u0079":"order""#))
        #expect(envelope.entity == "order" && envelope.problem == nil, "\(envelope.problem ?? "")")
    }

    /// Every key the contract or the store knows is named once, optional ones too: with two values,
    /// the scanner (which indexes the last), SQLite (which reads the first) and the JSON decoder need
    /// not agree on which order is whose. Before, only required keys were checked.
    @Test func anOptionalOrIndexedKeyNamedTwice_isRefused() throws {
        var canonical: SeededRandom? = nil
        let good = order(&canonical)
        let repeats: [(String, String, String)] = [
            (#""claimed_by":null"#, #""claimed_by":null,"claimed_by":"station-2""#, "an order names claimed_by twice"),
            (#""station_id":"station-1""#, #""station_id":"station-1","station_id":"station-2""#, "an order names station_id twice"),
            (##""reference":"#7""##, ##""reference":"#7","reference":"#8""##, "an order names reference twice"),
            (#""company":"Hudba GmbH""#, #""company":"Hudba GmbH","company":"Other""#, "ship_to names company twice"),
            (#""quantity":2,"sku":"SKU-1""#, #""quantity":2,"sku":"SKU-1","sku":"SKU-2""#, "an order line names sku twice"),
        ]
        for (old, new, reason) in repeats {
            let text = good.replacingOccurrences(of: old, with: new)
            #expect(text != good, "\(old) is not in the order")
            let problem = try parse(text).problem
            #expect(problem?.contains(reason) == true, "\(reason): \(problem ?? "accepted")")
        }
        let stock = try parse(
            #"{"entity":"stock","id":"S-1@A","version":2,"op":"upsert","data":{"sku":"S-1","location":"A","quantity":1,"quantity":9}}"#
        )
        #expect(stock.problem?.contains("its data names quantity twice") == true, "\(stock.problem ?? "accepted")")
        // A key the contract does not know may repeat: nothing reads it.
        let unknown = try parse(good.replacingOccurrences(of: #""x_note":{"state":"not this one"}"#, with: #""x_note":1,"x_note":2"#))
        #expect(unknown.problem == nil, "\(unknown.problem ?? "")")
    }
}
