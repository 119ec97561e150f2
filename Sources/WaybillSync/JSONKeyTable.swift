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
        // Keys are compared through their bytes (`utf8Start`), and the scanner marks the keys an
        // object named in a 64-bit mask.
        precondition(keys.allSatisfy(\.hasPointerRepresentation), "a key table's keys must be text literals")
        precondition(keys.count <= 64, "a key table holds at most 64 keys")
        self.keys = keys
    }

    /// A table expecting `keys` in the order canonical JSON writes them (by their UTF-8 bytes).
    init(sorting keys: [StaticString]) {
        self.init(
            keys.sorted { a, b in
                a.withUTF8Buffer { a in b.withUTF8Buffer { b in a.lexicographicallyPrecedes(b) } }
            }
        )
    }

    /// The position of `literal`, which the table must hold (the scanner's own lists name the
    /// fields it reads: a contract list that dropped one is a programming error, caught at start).
    func position(_ literal: StaticString) -> Int {
        guard let position = keys.firstIndex(where: { $0.isSameText(as: literal) }) else {
            preconditionFailure("\(literal) is not among the keys \(keys)")
        }
        return position
    }

    /// The position of `key` in the table, or nil (an escaped key is the key it spells).
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
