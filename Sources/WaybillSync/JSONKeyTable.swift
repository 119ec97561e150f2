/// The keys one kind of object in the feed holds, in the order the central API writes them, so
/// the scanner can read a key by comparing it with the one expected next instead of scanning it
/// byte by byte and then against every list of the contract.
///
/// The central API writes an order's data in canonical JSON (keys sorted) and a change's envelope
/// in the contract's order, so nearly every key is the one after the last key found. Any other key
/// (an unexpected order, an escape, a key the table does not hold) is read and checked as any key
/// is, then looked up: the table changes how fast a key is read, never what is accepted.
struct JSONKeyTable {
    /// The keys, in the order they are expected.
    let keys: [StaticString]

    /// A table of no keys: every key is read as any key is.
    static let none = JSONKeyTable([])

    /// A table expecting `keys` in the order given.
    init(_ keys: [StaticString]) {
        self.keys = keys
    }

    /// A table expecting `keys` in the order canonical JSON writes them (by their UTF-8 bytes).
    init(sorting keys: [StaticString]) {
        self.keys = keys.sorted { a, b in
            UnsafeBufferPointer(start: a.utf8Start, count: a.utf8CodeUnitCount)
                .lexicographicallyPrecedes(UnsafeBufferPointer(start: b.utf8Start, count: b.utf8CodeUnitCount))
        }
    }

    /// The position of `literal` in the table, or -1 when the table does not hold it (for `switch`
    /// cases that then never match).
    func position(_ literal: StaticString) -> Int {
        keys.firstIndex { "\($0)" == "\(literal)" } ?? -1
    }

    /// The position of `key` in the table, or nil (an escaped key is never one of the table's).
    func position(of key: JSONKey) -> Int? {
        keys.firstIndex { key == $0 }
    }

    /// The position of the key whose quoted bytes `"key"` start at `index` of `bytes`, looked for
    /// from `expected` on (the keys an object leaves out are skipped, as canonical JSON skips
    /// them); nil when none of those is there.
    @inline(__always)
    func expectedKey(at index: Int, of bytes: UnsafeRawBufferPointer, from expected: Int) -> Int? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        var position = expected
        while position < keys.count {
            let key = keys[position]
            let count = key.utf8CodeUnitCount
            // The key's bytes, then the closing quote right after them.
            if index + count + 2 <= bytes.count, bytes[index + count + 1] == UInt8(ascii: "\"") {
                var offset = 0
                while offset < count, bytes[index + 1 + offset] == key.utf8Start[offset] { offset += 1 }
                if offset == count { return position }
            }
            position += 1
        }
        return nil
    }
}

extension JSONScanner {
    /// Calls `body` for each member of an object whose `{` was consumed, positioned at the value,
    /// with the key's position in `table` (nil for a key the table does not hold).
    ///
    /// The key expected next (the one after the last found) is compared in place; any other key is
    /// read with ``keyToken()`` (its escapes and UTF-8 checked) and looked up.
    mutating func members(
        _ table: JSONKeyTable,
        _ body: (inout JSONScanner, JSONKey, Int?) throws(JSONScanError) -> Void
    ) throws(JSONScanError) {
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        var expected = 0
        while true {
            skipWhitespace()
            let key: JSONKey
            let position: Int?
            if let found = table.expectedKey(at: index, of: bytes, from: expected) {
                let count = table.keys[found].utf8CodeUnitCount
                key = JSONKey(raw: UnsafeRawBufferPointer(rebasing: bytes[index + 1..<index + 1 + count]), escaped: false)
                index += count + 2
                position = found
            } else {
                key = try keyToken()
                position = table.position(of: key)
            }
            if let position { expected = position + 1 }
            try expect(UInt8(ascii: ":"))
            try body(&self, key, position)
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end in an object") }
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "}") { return }
            guard byte == UInt8(ascii: ",") else { throw fail("expected , or } in an object") }
        }
    }
}
