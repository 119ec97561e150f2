import Foundation
import Glibc
import WaybillCore
public import WaybillStore

/// A changes-feed page, read by scanning its bytes once: the envelope of each change is decoded,
/// its `data` is kept as the exact JSON text received (for the store), unknown fields are skipped.
public struct FeedPage: Sendable {
    public let changes: [PulledChange]
    public let nextCursor: String
    public let hasMore: Bool
    /// The feed's newest position, when the central API tells it.
    public let head: String?
    /// The checksum the page declares.
    public let checksum: String
    /// The checksum of the `changes` array as received.
    public let computedChecksum: String
}

/// Parses feed pages without Foundation's JSON decoder (too slow for full resyncs on this hardware).
public enum FeedPageParser {
    /// Parses a page; throws ``SyncError`` `.feedUnreadable` for anything that is not a well-formed page.
    public static func parse(_ bytes: [UInt8]) throws(SyncError) -> FeedPage {
        let result: Result<FeedPage, JSONScanError> = bytes.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer)
            do throws(JSONScanError) {
                return .success(try scanner.page())
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let page):
            return page
        case .failure(let error):
            throw SyncError(
                .feedUnreadable,
                "the changes page is not valid JSON (\(error.message) at byte \(error.offset)); it will be fetched again"
            )
        }
    }
}

extension FeedPageParser {
    /// The `next_cursor` and `has_more` a page names near its end, read without parsing the page
    /// (to start fetching the next page early); `nil` when they are not among its last 512 bytes.
    /// Only a hint: the parsed page is the truth.
    public static func nextCursor(atEndOf bytes: [UInt8]) -> (cursor: String, hasMore: Bool)? {
        let tail = String(decoding: bytes.suffix(512), as: UTF8.self)
        guard let key = tail.range(of: "\"next_cursor\":\"", options: .backwards),
            let end = tail[key.upperBound...].firstIndex(of: "\"")
        else { return nil }
        let cursor = String(tail[key.upperBound..<end])
        guard !cursor.contains("\\") else { return nil }
        if tail.contains("\"has_more\":true") { return (cursor, true) }
        if tail.contains("\"has_more\":false") { return (cursor, false) }
        return nil
    }
}

/// Reading a feed page and its changes (the scanner itself: JSONScanner.swift).
extension JSONScanner {
    mutating func page() throws(JSONScanError) -> FeedPage {
        var changes: [PulledChange] = []
        var arrayRange = 0..<0
        var nextCursor: String?
        var hasMore: Bool?
        var checksum: String?
        var head: String?
        try expect(UInt8(ascii: "{"))
        try members { (scanner: inout JSONScanner, key: JSONKey) throws(JSONScanError) in
            switch key {
            case "changes":
                let start = scanner.index
                try scanner.expect(UInt8(ascii: "["))
                try scanner.elements { (scanner: inout JSONScanner) throws(JSONScanError) in changes.append(try scanner.change()) }
                arrayRange = start..<scanner.index
            case "next_cursor":
                nextCursor = try scanner.string()
            case "has_more":
                hasMore = try scanner.bool()
            case "checksum":
                checksum = try scanner.string()
            case "head":
                head = try scanner.string()
            default:
                try scanner.skipValue()
            }
        }
        guard let nextCursor, let hasMore, let checksum else { throw fail("a page needs next_cursor, has_more and checksum") }
        let computed = FeedChecksum.of(UnsafeRawBufferPointer(rebasing: bytes[arrayRange]))
        return FeedPage(changes: changes, nextCursor: nextCursor, hasMore: hasMore, head: head, checksum: checksum, computedChecksum: computed)
    }

    /// One change. Its envelope must be readable (or the page is not a page); what its `data` holds
    /// is checked here (the JSON grammar, ``FeedLimits``, the identifiers, an order's required fields
    /// and line quantities) and a change that fails is returned with its ``PulledChange/problem``,
    /// for the store to quarantine while the rest of the page applies.
    mutating func change() throws(JSONScanError) -> PulledChange {
        var entity: String?
        var id: String?
        var version: Int?
        var op: String?
        var dataRange: Range<Int>?
        var problem: String?
        var fields = IndexedFields()
        var digest: Int64?
        var indexed = false
        var named: UInt8 = 0
        let envelopeFields = JSONKey.changeEnvelope
        try expect(UInt8(ascii: "{"))
        try members { (scanner: inout JSONScanner, key: JSONKey) throws(JSONScanError) in
            // A change that names a field twice is ambiguous (which one did the center mean?).
            if let envelope = envelopeFields.firstIndex(where: { key == $0 }) {
                if named & (1 << UInt8(envelope)) != 0 { problem = problem ?? "the change names \(key.text) twice" }
                named |= 1 << UInt8(envelope)
            }
            switch key {
            case "entity": entity = try scanner.string()
            case "id": id = try scanner.string()
            case "version": version = try scanner.integer()
            case "op": op = try scanner.string()
            case "data":
                scanner.skipWhitespace()
                let start = scanner.index
                let earlier = problem
                do throws(JSONScanError) {
                    // The feed sends `entity` first: an indexed entity's data is then checked and read in one pass.
                    if let entity, Self.indexedEntities.contains(entity) {
                        (fields, digest) = try scanner.topLevelFields(withLines: entity == "order")
                        indexed = true
                    } else {
                        problem = try scanner.skipCheckedValue()
                    }
                    problem = earlier ?? problem
                } catch {
                    fields = IndexedFields()
                    digest = nil
                    // Not JSON inside, yet the page goes on: find the value's end by its brackets and strings.
                    problem =
                        earlier
                        ?? (error.syntax ? "its data is not valid JSON (\(error.message) at byte \(error.offset - start) of it)" : error.message)
                    scanner.index = start
                    try scanner.skipValue()
                }
                dataRange = start..<scanner.index
            default: try scanner.skipValue()
            }
        }
        guard let entity, let id, let version, let op else { throw fail("a change needs entity, id, version and op") }
        if let dataRange {
            if problem == nil, dataRange.count > FeedLimits.maxDataBytes {
                problem = "its data is larger than \(FeedLimits.maxDataBytes) bytes"
            }
            if problem == nil, !indexed, Self.indexedEntities.contains(entity) {
                var inner = JSONScanner(UnsafeRawBufferPointer(rebasing: bytes[dataRange]))
                do throws(JSONScanError) {
                    (fields, digest) = try inner.topLevelFields(withLines: entity == "order")
                } catch {
                    problem = error.syntax ? "its data is not valid JSON (\(error.message))" : error.message
                }
            }
        }
        if problem == nil, let invalid = CentralIdentifier.problem(id) { problem = "its id \(invalid)" }
        if problem == nil, op == "upsert", dataRange.map({ bytes[$0.lowerBound] == UInt8(ascii: "n") }) ?? true {
            problem = "an upsert needs its data"
        }
        if problem == nil, !indexed, op == "upsert", let dataRange {
            problem = CentralValidation.problem(entity: entity, data: Data(UnsafeRawBufferPointer(rebasing: bytes[dataRange])))
        }
        let data = dataRange.map { String(decoding: UnsafeRawBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
        return PulledChange(
            entity: entity,
            id: id,
            version: version,
            op: op,
            data: data == "null" ? nil : data,
            fields: fields,
            linesDigest: digest,
            problem: problem
        )
    }

    /// Entities whose top-level scalar fields the store indexes.
    static let indexedEntities: Set<String> = ["order", "stock", "label"]

    /// The top-level scalar fields of an object the store indexes (as text; null fields absent), and
    /// the ``OrderLinesDigest`` of its `lines` array of `{sku, quantity}` when asked.
    /// An order's data (`withLines`) must be an object naming every field of ``JSONKey/requiredOrderFields``.
    mutating func topLevelFields(withLines: Bool) throws(JSONScanError) -> (IndexedFields, Int64?) {
        var fields = IndexedFields()
        var digest: Int64?
        var seen: UInt32 = 0
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else {
            if withLines { throw refuse("an order's data must be an object") }
            if let violation = try skipCheckedValue() { throw refuse(violation) }
            return (fields, nil)
        }
        index += 1
        // Read once per object, not once per key: the lists live in other modules.
        let requiredFields = JSONKey.requiredOrderFields
        let indexedKeys = JSONKey.indexed
        try members { (scanner: inout JSONScanner, key: JSONKey) throws(JSONScanError) in
            scanner.skipWhitespace()
            guard scanner.index < scanner.bytes.count else { throw scanner.fail("unexpected end") }
            if withLines, let required = requiredFields.firstIndex(where: { key == $0 }) {
                guard seen & (1 << UInt32(required)) == 0 else { throw scanner.refuse("an order names \(key.text) twice") }
                seen |= 1 << UInt32(required)
            }
            if withLines, key == "lines" as StaticString {
                digest = try scanner.linesDigest()
                return
            }
            let position = indexedKeys.firstIndex(where: { key == $0 })
            if withLines, let consumed = try scanner.orderValue(key) {
                if let position, let consumed { fields[position: position] = consumed }
                return
            }
            guard let position else {
                if let violation = try scanner.skipCheckedValue() { throw scanner.refuse(violation) }
                return
            }
            if scanner.bytes[scanner.index] == UInt8(ascii: "\"") {
                // Checked as every string is (escapes, control characters, UTF-8, length), then read.
                let start = scanner.index
                if let violation = try scanner.skipCheckedValue() { throw scanner.refuse(violation) }
                scanner.index = start
                fields[position: position] = try scanner.string()
            } else {
                let start = scanner.index
                if let violation = try scanner.skipCheckedValue() { throw scanner.refuse(violation) }
                let raw = UnsafeRawBufferPointer(rebasing: scanner.bytes[start..<scanner.index])
                if !(raw.count == 4 && raw[0] == UInt8(ascii: "n")) { fields[position: position] = String(decoding: raw, as: UTF8.self) }
            }
        }
        if withLines, seen != (1 << UInt32(requiredFields.count)) - 1 {
            let missing = requiredFields.indices.filter { seen & (1 << UInt32($0)) == 0 }.map { "\(requiredFields[$0])" }
            throw refuse("an order needs \(missing.joined(separator: ", "))")
        }
        return (fields, digest)
    }

    /// The ``OrderLinesDigest`` of a `lines` array of `{sku, quantity}` objects, without building them.
    mutating func linesDigest() throws(JSONScanError) -> Int64 {
        var digest = OrderLinesDigest()
        skipWhitespace()
        guard peek() == UInt8(ascii: "[") else { throw refuse("an order's lines must be an array") }
        index += 1
        // Orders have a few lines: a linear look beats hashing.
        var lineNumbers: [Int] = []
        try elements { (scanner: inout JSONScanner) throws(JSONScanError) in
            // The SKU's bytes as received when it has no escapes (the usual case): no String is built.
            var rawSKU: UnsafeRawBufferPointer?
            var escapedSKU: String?
            var quantity: Int?
            var lineNumber: Int?
            scanner.skipWhitespace()
            guard scanner.peek() == UInt8(ascii: "{") else { throw scanner.refuse("an order line must be an object") }
            scanner.index += 1
            try scanner.members { (scanner: inout JSONScanner, key: JSONKey) throws(JSONScanError) in
                switch key {
                case "sku":
                    scanner.skipWhitespace()
                    guard scanner.peek() == UInt8(ascii: "\"") else { throw scanner.refuse("an order line's sku must be a string") }
                    let token = try scanner.keyToken()
                    if token.escaped {
                        escapedSKU = try JSONScanner.unescapeString(token.raw, offset: scanner.index)
                    } else {
                        rawSKU = token.raw
                    }
                case "quantity": quantity = try scanner.integer()
                case "line_no": lineNumber = try scanner.integer()
                default: if let violation = try scanner.skipCheckedValue() { throw scanner.refuse(violation) }
                }
            }
            guard let quantity, let lineNumber, rawSKU != nil || escapedSKU != nil else {
                throw scanner.refuse("an order line needs line_no, sku and quantity")
            }
            guard CentralLimits.lineNumber.contains(lineNumber) else {
                throw scanner.refuse(
                    "an order line's line_no \(lineNumber) is outside \(CentralLimits.lineNumber.lowerBound)...\(CentralLimits.lineNumber.upperBound)"
                )
            }
            guard !lineNumbers.contains(lineNumber) else { throw scanner.refuse("an order's line_no \(lineNumber) appears twice") }
            lineNumbers.append(lineNumber)
            guard CentralLimits.quantity.contains(quantity) else {
                throw scanner.refuse(
                    "an order line's quantity \(quantity) is outside \(CentralLimits.quantity.lowerBound)...\(CentralLimits.quantity.upperBound)"
                )
            }
            if let invalid = escapedSKU.map(CentralIdentifier.problem) ?? rawSKU.map({ CentralIdentifier.problem(utf8: $0) }) ?? nil {
                throw scanner.refuse("an order line's sku \(invalid)")
            }
            if let escapedSKU {
                digest.add(sku: escapedSKU, quantity: quantity)
            } else if let rawSKU {
                digest.add(skuBytes: rawSKU, quantity: quantity)
            }
        }
        return digest.storedValue
    }
}

extension FeedPageParser {
    /// Checks one change as a pull would (the same grammar, limits and contract checks), from its
    /// stored parts: for `waybill quarantine retry`, after an upgrade or a fix of the rules. `data`
    /// is the change's JSON text (nil for a delete). The result's ``PulledChange/problem`` says what
    /// is still wrong, if anything.
    public static func recheck(entity: String, id: String, version: Int, op: String, data: String?) throws(SyncError) -> PulledChange {
        let change =
            "{\"entity\":\(JSONStringLiteral.quote(entity)),\"id\":\(JSONStringLiteral.quote(id)),\"version\":\(version),"
            + "\"op\":\(JSONStringLiteral.quote(op)),\"data\":\(data ?? "null")}"
        let changes = Array("[\(change)]".utf8)
        let page =
            Array("{\"changes\":".utf8) + changes
            + Array(",\"next_cursor\":\"0\",\"has_more\":false,\"checksum\":\"\(FeedChecksum.of(changes))\"}".utf8)
        guard let parsed = try parse(page).changes.first else { throw SyncError(.schema, "the change did not read back") }
        return parsed
    }
}
