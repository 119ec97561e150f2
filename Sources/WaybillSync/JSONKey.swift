import WaybillCore

/// An object key as the bytes between its quotes.
struct JSONKey {
    let raw: UnsafeRawBufferPointer
    let escaped: Bool

    /// The fields every order's data names (``CentralAPI/OrderData/requiredFields``).
    static let requiredOrderFields = CentralAPI.OrderData.requiredFields

    /// The fields of a change's envelope, each named once (``CentralAPI/Change/fields``).
    static let changeEnvelope = CentralAPI.Change.fields

    /// Whether the key is `literal`. A key spelled with escapes is the key it spells (`"st\u0061te"`
    /// is `state`, as for every other JSON reader): otherwise it would slip past the checks on the key.
    @inline(__always)
    static func == (key: JSONKey, literal: StaticString) -> Bool {
        if key.escaped { return key.unescaped.map { literal.isSameText(as: $0) } ?? false }
        guard key.raw.count == literal.utf8CodeUnitCount else { return false }
        for offset in 0..<key.raw.count where key.raw[offset] != literal.utf8Start[offset] { return false }
        return true
    }

    /// The text an escaped key spells (its escapes were checked when it was read).
    private var unescaped: String? { try? JSONScanner.unescapeString(raw, offset: 0) }

    /// Whether the key writes a character of the identifier alphabet (a letter, a digit or one of
    /// `. _ : @ #` and `-`) as a `\u` escape (`"l\u0069nes"`). Encoders escape only what JSON
    /// requires, `/`, HTML's `< > &` or non-ASCII text, never these; and SQLite before 3.45 compares
    /// keys as written while other readers unescape them. In an entity's data such a key would let
    /// two readers of one order see different fields, so it is refused there.
    var escapesAPlainCharacter: Bool {
        guard escaped else { return false }
        var offset = 0
        while offset + 1 < raw.count {
            guard raw[offset] == UInt8(ascii: "\\") else {
                offset += 1
                continue
            }
            if raw[offset + 1] == UInt8(ascii: "u"), offset + 6 <= raw.count,
                let unit = UInt32(String(decoding: raw[offset + 2..<offset + 6], as: UTF8.self), radix: 16),
                Self.isPlain(unit)
            {
                return true
            }
            offset += 2
        }
        return false
    }

    /// Whether `unit` is a character of the identifier alphabet (``CentralIdentifier``).
    static func isPlain(_ unit: UInt32) -> Bool {
        switch unit {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case 0x2E, 0x5F, 0x3A, 0x40, 0x23, 0x2D: true  // . _ : @ # -
        default: false
        }
    }

    /// Why a key of an entity's data that ``escapesAPlainCharacter`` is refused.
    static let plainEscapeViolation = "a key writes a letter, digit or . _ : @ # - as a \\u escape"

    static func ~= (literal: StaticString, key: JSONKey) -> Bool { key == literal }
}
