import Glibc
import WaybillCore
import WaybillStore

/// Why bytes could not be read, and at which byte.
struct JSONScanError: Error {
    let message: String
    let offset: Int
    /// The bytes are not JSON (false: valid JSON that breaks a limit or the contract).
    var syntax = true
}

/// A forward-only scanner over JSON bytes.
struct JSONScanner {
    let bytes: UnsafeRawBufferPointer
    /// The array `bytes` points into, when there is one: values kept from it are slices, not copies.
    let source: [UInt8]?
    var index = 0

    init(_ bytes: UnsafeRawBufferPointer, source: [UInt8]? = nil) {
        self.bytes = bytes
        self.source = source
    }

    /// The bytes of `range` as JSON text: a slice of ``source``, or a copy.
    func text(_ range: Range<Int>) -> JSONText {
        if let source { return JSONText(bytes: source[range]) }
        return JSONText(bytes: ArraySlice(UnsafeRawBufferPointer(rebasing: bytes[range])))
    }

    // MARK: Structure

    /// Calls `body` for each member of an object whose `{` was consumed, positioned at the value.
    mutating func members(plainKeys: Bool = false, _ body: (inout JSONScanner, JSONKey) throws(JSONScanError) -> Void) throws(JSONScanError) {
        try members(JSONKeyTable.none, plainKeys: plainKeys) { (scanner: inout JSONScanner, key: JSONKey, _: Int?) throws(JSONScanError) in
            try body(&scanner, key)
        }
    }

    /// Calls `body` for each member of an object whose `{` was consumed, positioned at the value,
    /// with the key's position in `table` (nil for a key the table does not hold).
    ///
    /// The key expected next (the one after the last found) is compared in place; any other key is
    /// read with ``keyToken()`` (its escapes and UTF-8 checked) and looked up.
    /// - Parameter plainKeys: the object is (in) an entity's data: a key that
    ///   ``JSONKey/escapesAPlainCharacter`` is refused.
    mutating func members(
        _ table: JSONKeyTable,
        plainKeys: Bool = false,
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
                if plainKeys, key.escapesAPlainCharacter { throw refuse(JSONKey.plainEscapeViolation) }
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

    /// Calls `body` for each element of an array whose `[` was consumed.
    mutating func elements(_ body: (inout JSONScanner) throws(JSONScanError) -> Void) throws(JSONScanError) {
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            try body(&self)
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end in an array") }
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "]") { return }
            guard byte == UInt8(ascii: ",") else { throw fail("expected , or ] in an array") }
        }
    }

    /// Skips one value by its brackets and strings, without checking its grammar (see
    /// ``skipCheckedValue()``) and without recursion, so no nesting can exhaust the stack.
    mutating func skipValue() throws(JSONScanError) {
        var depth = 0
        repeat {
            skipWhitespace()
            guard index < bytes.count else { throw fail(depth == 0 ? "unexpected end, expected a value" : "unexpected end inside a value") }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                try skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { throw fail("expected a value") }
                depth -= 1
                index += 1
            case UInt8(ascii: ","), UInt8(ascii: ":"):
                guard depth > 0 else { throw fail("expected a value") }
                index += 1
            default:
                let start = index
                while index < bytes.count, !isDelimiter(bytes[index]), !Self.startsToken(bytes[index]) { index += 1 }
                guard index > start else { throw fail("expected a value") }
            }
        } while depth > 0
    }

    private static func startsToken(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: ":")
    }

    // MARK: Scalars

    mutating func string() throws(JSONScanError) -> String {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string") }
        let start = index + 1
        var plain = true
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
                index += 1
                return plain ? String(decoding: raw, as: UTF8.self) : try Self.unescape(raw, offset: start)
            }
            if byte == UInt8(ascii: "\\") {
                plain = false
                index += 1
            } else if byte < 0x20 {
                throw fail("a control character inside a string")
            }
            index += 1
        }
        throw fail("unterminated string")
    }

    /// An object key, without building a String for it.
    mutating func keyToken() throws(JSONScanError) -> JSONKey {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a key") }
        let start = index + 1
        var escaped = false
        var nonASCII = false
        index += 1
        while index < bytes.count {
            // Eight plain bytes at a time, as in any string (``checkedString()``): most keys are short ASCII.
            while index + 8 <= bytes.count, Self.isPlain(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) { index += 8 }
            guard index < bytes.count else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                if escaped || nonASCII {
                    // Escapes and UTF-8 are checked as in any string (rare in keys, so only then).
                    let end = index
                    index = start - 1
                    if let violation = try checkedString() { throw refuse("a key: \(violation)") }
                    index = end
                }
                return JSONKey(raw: UnsafeRawBufferPointer(rebasing: bytes[start..<index - 1]), escaped: escaped)
            }
            if byte >= 0x80 { nonASCII = true }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                index += 1
            } else if byte < 0x20 {
                throw fail("a control character inside a key")
            }
            index += 1
        }
        throw fail("unterminated key")
    }

    mutating func skipString() throws(JSONScanError) {
        index += 1
        guard let base = bytes.baseAddress else { throw fail("unterminated string") }
        while index < bytes.count {
            // Jump to the next quote, then count the backslashes before it: an even number means it ends the string.
            guard let found = memchr(base + index, Int32(UInt8(ascii: "\"")), bytes.count - index) else { break }
            let quote = base.distance(to: UnsafeRawPointer(found))
            var backslashes = 0
            while quote - backslashes - 1 >= index, bytes[quote - backslashes - 1] == UInt8(ascii: "\\") { backslashes += 1 }
            index = quote + 1
            if backslashes % 2 == 0 { return }
        }
        index = bytes.count
        throw fail("unterminated string")
    }

    mutating func integer() throws(JSONScanError) -> Int {
        skipWhitespace()
        var value = 0
        var negative = false
        if peek() == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            // Accumulated with its sign, so that Int.min reads and one past Int.max is refused.
            let digit = Int(bytes[index] - UInt8(ascii: "0"))
            let (product, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = negative ? product.subtractingReportingOverflow(digit) : product.addingReportingOverflow(digit)
            guard !overflow, !carry else { throw refuse("number too large") }
            value = sum
            index += 1
        }
        guard index > start, index >= bytes.count || isDelimiter(bytes[index]) else { throw refuse("expected a whole number") }
        guard bytes[start] != UInt8(ascii: "0") || index == start + 1 else { throw fail("a number that starts with 0") }
        return value
    }

    mutating func bool() throws(JSONScanError) -> Bool {
        skipWhitespace()
        if matches("true") { return true }
        if matches("false") { return false }
        throw fail("expected true or false")
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8) throws(JSONScanError) {
        if index < bytes.count, bytes[index] == byte {
            index += 1
            return
        }
        skipWhitespace()
        guard peek() == byte else { throw fail("expected \(Character(Unicode.Scalar(byte)))") }
        index += 1
    }

    @inline(__always)
    mutating func skipWhitespace() {
        // The feed is compact: the byte at hand is rarely whitespace.
        guard index < bytes.count, bytes[index] <= 0x20 else { return }
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func matches(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] { return false }
        index += count
        return true
    }

    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private func isDelimiter(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || byte == 0x20 || byte == 0x0A
            || byte == 0x0D || byte == 0x09
    }

    func fail(_ message: String) -> JSONScanError { JSONScanError(message: message, offset: index) }

    /// Valid JSON the contract refuses (a limit, a type, a range, a missing field).
    func refuse(_ message: String) -> JSONScanError { JSONScanError(message: message, offset: index, syntax: false) }

    /// The text of a string token's bytes (between its quotes) that has escapes.
    static func unescapeString(_ raw: UnsafeRawBufferPointer, offset: Int) throws(JSONScanError) -> String {
        try unescape(raw, offset: offset)
    }

    private static func unescape(_ raw: UnsafeRawBufferPointer, offset: Int) throws(JSONScanError) -> String {
        var scalars = String.UnicodeScalarView()
        var utf8: [UInt8] = []
        var position = 0
        func flush() {
            if !utf8.isEmpty {
                scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars)
                utf8.removeAll(keepingCapacity: true)
            }
        }
        func hex4(_ at: Int) throws(JSONScanError) -> UInt32 {
            guard at + 4 <= raw.count else { throw JSONScanError(message: "short \\u escape", offset: offset + at) }
            var value: UInt32 = 0
            for byte in raw[at..<at + 4] {
                guard let digit = UInt32(String(UnicodeScalar(byte)), radix: 16) else {
                    throw JSONScanError(message: "bad \\u escape", offset: offset + at)
                }
                value = value * 16 + digit
            }
            return value
        }
        while position < raw.count {
            let byte = raw[position]
            guard byte == UInt8(ascii: "\\"), position + 1 < raw.count else {
                utf8.append(byte)
                position += 1
                continue
            }
            flush()
            let escaped = raw[position + 1]
            position += 2
            switch escaped {
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "b"): scalars.append("\u{8}")
            case UInt8(ascii: "f"): scalars.append("\u{C}")
            case UInt8(ascii: "u"):
                var value = try hex4(position)
                position += 4
                if (0xD800..<0xDC00).contains(value), position + 6 <= raw.count, raw[position] == UInt8(ascii: "\\"),
                    raw[position + 1] == UInt8(ascii: "u")
                {
                    let low = try hex4(position + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                        position += 6
                    }
                }
                scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
            default: scalars.append(Unicode.Scalar(escaped))
            }
        }
        flush()
        return String(scalars)
    }
}
