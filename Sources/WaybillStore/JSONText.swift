/// The UTF-8 bytes of one JSON value as the central API sent it, already checked by the feed
/// parser, kept as bytes: the store writes them to SQLite as text without building a `String`
/// (a resync would otherwise decode every order's JSON once more only to hand it over).
public struct JSONText: Sendable, Hashable {
    /// The value's bytes (for a value read from a page, a slice of the page: not copied).
    public let bytes: ArraySlice<UInt8>

    /// The bytes of a value read from a page.
    public init(bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
    }

    /// The bytes of `text`.
    public init(_ text: String) {
        bytes = ArraySlice(text.utf8)
    }

    /// The value as text.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Whether the value is JSON's `null`.
    public var isNull: Bool { bytes.elementsEqual("null".utf8) }
}
