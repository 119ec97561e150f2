/// The envelope of one change in the central changes feed: which entity, which version, what happened.
///
/// Only the envelope is decoded on the hot path; the entity's own fields are kept as JSON text.
public struct ChangeEnvelope: Sendable, Hashable, Decodable {
    /// Whether the entity was created or updated, or deleted.
    public enum Operation: String, Sendable, Hashable, Decodable {
        case upsert
        case delete
    }

    /// The entity type, such as `order` or `sku`.
    public let entity: String
    public let id: String
    /// The entity's version; versions only grow.
    public let version: Int
    public let op: Operation
}
