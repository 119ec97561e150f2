/// An identifier Waybill generated itself (tracking number, order or box id), the only kind of text a
/// barcode may carry: 1 to 40 characters of `A-Z`, `0-9` and `-`.
///
/// Code 128 data in ZPL treats `>` as a code-set switch and executes `^`/`~`; restricting barcodes to
/// this alphabet means no customer text can ever reach a `^BC` field.
public struct BarcodeID: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// `nil` unless `rawValue` is 1-40 characters of `A-Z`, `0-9` and `-`.
    public init?(rawValue: String) {
        guard (1...40).contains(rawValue.utf8.count), rawValue.utf8.allSatisfy(Self.isAllowed) else { return nil }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    static func isAllowed(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "-")
    }
}
