public import WaybillStore

/// A changes-feed page, read by scanning its bytes once: the envelope of each change is decoded,
/// its `data` is kept as the exact JSON text received (for the store), unknown fields are skipped.
public struct FeedPage: Sendable {
    public let changes: [PulledChange]
    public let nextCursor: String
    public let hasMore: Bool
    /// The feed's newest position, when the central API tells it.
    public let head: String?
    /// The checksum the page declares.
    public let checksum: String
    /// The checksum of the `changes` array as received.
    public let computedChecksum: String
}
