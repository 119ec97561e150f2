import Foundation

/// A packer's name at the station: recorded with every gesture they make and sent to the centre,
/// so it keeps to a short, plain alphabet (no customer-text escaping problems anywhere it goes).
public struct PackerName: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    /// Returns `nil` when `rawValue` is not 1 to 32 characters from A-Z a-z 0-9 - _ .
    public init?(rawValue: String) {
        guard (1...32).contains(rawValue.utf8.count), rawValue.utf8.allSatisfy(Self.allowed) else { return nil }
        self.rawValue = rawValue
    }

    /// Checks `text`, saying what a name must look like when it is not one.
    public init(_ text: String) throws(PackerInputError) {
        guard let name = Self(rawValue: text) else {
            throw PackerInputError("'\(String(text.prefix(40)))' is not a packer name: use \(Self.expectation), such as ana or j.smith")
        }
        self = name
    }

    public var description: String { rawValue }

    /// What a valid name looks like, for messages.
    public static let expectation = "1 to 32 characters from A-Z a-z 0-9 - _ ."

    private static func allowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
            true
        default:
            false
        }
    }
}

/// A packer's PIN: 4 to 12 digits, typed on the screen's keypad. Never stored or logged: only its
/// salted hash is kept.
public struct PackerPIN: Sendable, CustomStringConvertible {
    /// The digits, for hashing.
    public let digits: String

    /// Checks `text` (surrounding spaces and a final newline are ignored).
    public init(_ text: String) throws(PackerInputError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (4...12).contains(trimmed.utf8.count), trimmed.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw PackerInputError("a PIN is 4 to 12 digits")
        }
        digits = trimmed
    }

    /// Never the digits.
    public var description: String { "PIN(\(digits.count) digits)" }
}

/// A packer's name or PIN is not acceptable; ``description`` says what is.
public struct PackerInputError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
