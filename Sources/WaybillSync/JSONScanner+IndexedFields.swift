import WaybillCore
import WaybillStore

extension JSONScanner {
    /// Whether the store indexes top-level scalar fields of `entity`'s data (orders, stock, labels).
    static func isIndexed(_ entity: String) -> Bool {
        entity == "order" || entity == "stock" || entity == "label"
    }

    /// The keys of an order's data the contract types or the store indexes, with their rules.
    static let orderKeys = DataKeys(order: true)
    /// The keys of a stock's or label's data the store indexes.
    static let indexedKeys = DataKeys(order: false)

    /// The top-level scalar fields of an object the store indexes (as text; null fields absent), and
    /// for an order (`withLines`) the ``OrderLinesDigest`` of its `lines` array of `{sku, quantity}`
    /// and its own `id` (which must be the change's).
    /// An order's data (`withLines`) must be an object naming every field of ``JSONKey/requiredOrderFields``.
    mutating func topLevelFields(withLines: Bool) throws(JSONScanError) -> (fields: IndexedFields, digest: Int64?, id: String?) {
        var fields = IndexedFields()
        var digest: Int64?
        var id: String?
        var seen: UInt32 = 0
        // Every key the contract or the store knows, named at most once: with two values, the
        // scanner, SQLite and the JSON decoder need not agree on which one counts.
        var named: UInt64 = 0
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else {
            if withLines { throw refuse("an order's data must be an object") }
            if let violation = try skipCheckedValue() { throw refuse(violation) }
            return (fields, nil, nil)
        }
        index += 1
        // Each read once per object, not once per key.
        let requiredFields = JSONKey.requiredOrderFields
        let keys = withLines ? Self.orderKeys : Self.indexedKeys
        try members(keys.table, plainKeys: true) { (scanner: inout JSONScanner, key: JSONKey, known: Int?) throws(JSONScanError) in
            scanner.skipWhitespace()
            guard scanner.index < scanner.bytes.count else { throw scanner.fail("unexpected end") }
            if let known {
                guard named & (1 << UInt64(known)) == 0 else {
                    throw scanner.refuse("\(withLines ? "an order" : "its data") names \(key.text) twice")
                }
                named |= 1 << UInt64(known)
            }
            let rule = known.map { keys.rules[$0] } ?? DataKeyRule()
            if let required = rule.required { seen |= 1 << UInt32(required) }
            if rule.type == .lines {
                digest = try scanner.linesDigest()
                return
            }
            if rule.type == .id, withLines {
                guard scanner.bytes[scanner.index] == UInt8(ascii: "\"") else { throw scanner.refuse("an order's id must be a string") }
                let start = scanner.index
                if let violation = try scanner.skipCheckedValue() { throw scanner.refuse(violation) }
                scanner.index = start
                id = try scanner.string()
                return
            }
            let position = rule.indexed
            if withLines, let consumed = try scanner.orderValue(key, rule.type) {
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
        return (fields, digest, id)
    }
}
