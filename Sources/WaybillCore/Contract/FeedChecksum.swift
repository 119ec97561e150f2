/// The checksum of a changes-feed page: FNV-1a (64 bit) over the exact bytes of the page's `changes`
/// array, from its `[` to its `]`, as lowercase hex.
///
/// It detects a page that was truncated, corrupted or reassembled in transit. It is not a security
/// measure (the transport's TLS is).
public enum FeedChecksum {
    /// The checksum of `bytes`.
    @inlinable
    public static func of(_ bytes: UnsafeRawBufferPointer) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The checksum of `bytes`.
    @inlinable
    public static func of(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { of($0) }
    }

    /// The checksum of `bytes`.
    @inlinable
    public static func of(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.withUnsafeBytes { of($0) }
    }
}
