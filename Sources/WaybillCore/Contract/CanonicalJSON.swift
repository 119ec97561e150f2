public import Foundation

/// The one JSON encoding of a request sent under an idempotency key: keys sorted, slashes plain,
/// numbers as Swift prints them (shortest round-trip form). Foundation's `JSONEncoder` otherwise
/// writes an object's keys in an order that changes from process to process, so a retry after a
/// restart would not be byte-identical to the first request (and the central API refuses a key
/// reused with a different body).
public enum CanonicalJSON {
    /// The canonical bytes of `value`.
    public static func encode(_ value: some Encodable) throws -> Data {
        try encoder.encode(value)
    }

    /// One encoder for every call (its settings never change; encoding is safe from any thread):
    /// a durable local action encodes its payload on the packer's path.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
