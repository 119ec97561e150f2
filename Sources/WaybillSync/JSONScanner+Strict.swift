/// The limits a change's `data` must keep to before anything of it reaches the replica.
public enum FeedLimits {
    /// Objects and arrays nested deeper than this are refused (an order nests 3 levels).
    public static let maxDepth = 16
    /// A string longer than this many bytes is refused (an address line is far shorter).
    public static let maxStringBytes = 2_048
    /// A change's whole `data` larger than this is refused.
    public static let maxDataBytes = 256 * 1024
}

extension JSONScanner {
    /// Skips one value while checking the whole JSON grammar (RFC 8259: literals, numbers, strings
    /// and their escapes, UTF-8, structure), without recursion, so no nesting can exhaust the stack.
    ///
    /// - Returns: the first ``FeedLimits`` the value breaks (too deep, a string too long), or nil.
    ///   The value is skipped whole either way, so the page goes on with the next change.
    /// - Throws: ``JSONScanError`` when the bytes are not JSON: the page cannot be read at all.
    mutating func skipCheckedValue() throws(JSONScanError) -> String? {
        // The open containers, innermost last (true: an object, false: an array); no allocation unless
        // nested past 64 levels.
        var stack = ContainerStack()
        var violation: String?
        while true {
            // A value.
            skipWhitespace()
            guard let byte = peek() else { throw fail("unexpected end, expected a value") }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let object = byte == UInt8(ascii: "{")
                index += 1
                skipWhitespace()
                if peek() == (object ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    index += 1
                    break
                }
                stack.append(object)
                if stack.count > FeedLimits.maxDepth, violation == nil { violation = "nested deeper than \(FeedLimits.maxDepth) levels" }
                if object {
                    if let long = try checkedString(key: true), violation == nil { violation = long }
                    try expect(UInt8(ascii: ":"))
                }
                continue
            case UInt8(ascii: "\""):
                if let long = try checkedString(), violation == nil { violation = long }
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                try literal()
            default:
                try number()
            }
            // After a value: close what ends here, or move to the next member or element.
            while true {
                guard let object = stack.last else { return violation }
                skipWhitespace()
                guard let next = peek() else { throw fail("unexpected end in an \(object ? "object" : "array")") }
                index += 1
                if next == UInt8(ascii: ",") {
                    if object {
                        if let long = try checkedString(key: true), violation == nil { violation = long }
                        try expect(UInt8(ascii: ":"))
                    }
                    break
                }
                guard next == (object ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                    index -= 1
                    throw fail(object ? "expected , or } in an object" : "expected , or ] in an array")
                }
                stack.removeLast()
            }
        }
    }

    /// Skips a string, checking its escapes, its control characters and its UTF-8.
    /// - Parameter key: the string is an object's key in an entity's data: it must not write a
    ///   character of the identifier alphabet as an escape (``JSONKey/escapesAPlainCharacter``).
    /// - Returns: a ``FeedLimits/maxStringBytes`` violation (or the key's), or nil.
    mutating func checkedString(key: Bool = false) throws(JSONScanError) -> String? {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string") }
        index += 1
        let start = index
        var plainEscape = false
        while index < bytes.count {
            // Eight plain bytes (printable ASCII, no quote, no backslash) at a time: most of a feed's text.
            while index + 8 <= bytes.count, Self.isPlain(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) { index += 8 }
            guard index < bytes.count else { break }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                if key, plainEscape { return JSONKey.plainEscapeViolation }
                return index - 1 - start > FeedLimits.maxStringBytes ? "a string longer than \(FeedLimits.maxStringBytes) bytes" : nil
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count else { throw fail("unterminated string") }
                switch bytes[index + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
                    UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    let unit = try escapedUnit(at: index)
                    if JSONKey.isPlain(unit) { plainEscape = true }
                    index += 6
                    // UTF-16 in escapes: a high surrogate must be followed by a low one, and a low one never stands alone.
                    if (0xDC00...0xDFFF).contains(unit) { throw refuse("a \\u escape holds half a surrogate pair") }
                    if (0xD800...0xDBFF).contains(unit) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
                            (0xDC00...0xDFFF).contains(try escapedUnit(at: index))
                        else { throw refuse("a \\u escape holds half a surrogate pair") }
                        index += 6
                    }
                default:
                    throw fail("invalid escape in a string")
                }
            case 0..<0x20:
                throw fail("a control character inside a string")
            case 0x80...:
                try utf8Sequence()
            default:
                index += 1
            }
        }
        throw fail("unterminated string")
    }

    /// The UTF-16 unit of the `\uXXXX` escape at `at` (its backslash).
    private func escapedUnit(at: Int) throws(JSONScanError) -> UInt32 {
        guard at + 6 <= bytes.count, bytes[at + 2..<at + 6].allSatisfy(Self.isHexDigit) else { throw fail("a \\u escape needs four hex digits") }
        var unit: UInt32 = 0
        for byte in bytes[at + 2..<at + 6] {
            let digit = UInt32(byte)
            unit = unit << 4 | (digit <= 0x39 ? digit - 0x30 : (digit | 0x20) - 0x57)
        }
        return unit
    }

    /// Checks one multi-byte UTF-8 sequence (no overlong forms, no surrogates, at most U+10FFFF).
    private mutating func utf8Sequence() throws(JSONScanError) {
        let lead = bytes[index]
        let count: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: count = 2
        case 0xE0:
            count = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: count = 3
        case 0xED:
            count = 3
            high = 0x9F
        case 0xF0:
            count = 4
            low = 0x90
        case 0xF1...0xF3: count = 4
        case 0xF4:
            count = 4
            high = 0x8F
        default: throw fail("invalid UTF-8 in a string")
        }
        guard index + count <= bytes.count, (low...high).contains(bytes[index + 1]),
            bytes[index + 2..<index + count].allSatisfy({ (0x80...0xBF).contains($0) })
        else { throw fail("invalid UTF-8 in a string") }
        index += count
    }

    private mutating func literal() throws(JSONScanError) {
        for word: StaticString in ["true", "false", "null"] {
            let count = word.utf8CodeUnitCount
            if index + count <= bytes.count, (0..<count).allSatisfy({ bytes[index + $0] == word.utf8Start[$0] }) {
                index += count
                try expectDelimiter()
                return
            }
        }
        throw fail("an invalid literal (expected true, false or null)")
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func number() throws(JSONScanError) {
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), Self.isDigit(first) else { throw fail("expected a value") }
        index += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard let digit = peek(), Self.isDigit(digit) else { throw fail("a number needs digits after its point") }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard let digit = peek(), Self.isDigit(digit) else { throw fail("a number needs digits in its exponent") }
            skipDigits()
        }
        try expectDelimiter()
    }

    private mutating func skipDigits() {
        while let byte = peek(), Self.isDigit(byte) { index += 1 }
    }

    /// A scalar ends at whitespace, `,`, `}`, `]` or the end of the bytes.
    private func expectDelimiter() throws(JSONScanError) {
        guard let byte = peek() else { return }
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09: return
        default: throw fail("unexpected character after a value")
        }
    }

    /// Whether none of the eight bytes in `word` is a control character, `"`, `\\` or non-ASCII
    /// (the classic SWAR byte tests: a byte below n sets its high bit in `(x - n·0x01…) & ~x`).
    @inline(__always)
    static func isPlain(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        return (control | hasQuote | hasBackslash | word) & highs == 0
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
}

/// A stack of open JSON containers (true: object) held in a word for the first 64 levels.
private struct ContainerStack {
    private var bits: UInt64 = 0
    private var deeper: [Bool] = []
    private(set) var count = 0

    var last: Bool? {
        guard count > 0 else { return nil }
        return count <= 64 ? bits & (1 << UInt64(count - 1)) != 0 : deeper.last
    }

    mutating func append(_ object: Bool) {
        if count < 64 {
            if object { bits |= 1 << UInt64(count) } else { bits &= ~(1 << UInt64(count)) }
        } else {
            deeper.append(object)
        }
        count += 1
    }

    mutating func removeLast() {
        count -= 1
        if count >= 64 { deeper.removeLast() }
    }
}
