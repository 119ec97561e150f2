/// A changes page written as the central feed serves it, from changes whose data is JSON text
/// already: for sources that are not the hub's feed (a storefront's fulfillment orders, a catalog
/// file), so their changes enter the replica through the same parser and checks as the feed's.
public enum FeedPageText {
    /// One change of a page.
    public struct Change: Sendable, Hashable {
        public var entity: String
        public var id: String
        public var version: Int
        public var op: String
        /// The entity's JSON text (nil for a delete).
        public var data: String?

        public init(entity: String, id: String, version: Int, op: String = "upsert", data: String?) {
            self.entity = entity
            self.id = id
            self.version = version
            self.op = op
            self.data = data
        }
    }

    /// The page's bytes, its checksum over the `changes` array as the feed computes it.
    public static func render(_ changes: [Change], nextCursor: String, hasMore: Bool = false) -> [UInt8] {
        let array = Array(
            ("["
                + changes.map { change in
                    "{\"entity\":\(JSONStringLiteral.quote(change.entity)),\"id\":\(JSONStringLiteral.quote(change.id)),"
                        + "\"version\":\(change.version),\"op\":\(JSONStringLiteral.quote(change.op)),\"data\":\(change.data ?? "null")}"
                }
                .joined(separator: ",") + "]").utf8
        )
        return Array("{\"changes\":".utf8) + array
            + Array(
                (",\"next_cursor\":\(JSONStringLiteral.quote(nextCursor)),\"has_more\":\(hasMore),"
                    + "\"checksum\":\"\(FeedChecksum.of(array))\"}").utf8
            )
    }
}
