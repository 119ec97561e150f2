public import Foundation

extension CentralAPI.Operation {
    /// What an operation asks for, in canonical bytes: its type, entity, base version and payload.
    ///
    /// The central API keeps a digest of these under each idempotency key and refuses the key when a
    /// later delivery asks for something else (`idempotency_key_reused`). Station, epoch and seq are
    /// left out on purpose: a client reset sends the same operation again under a new epoch and seq.
    public func canonicalRequest() throws -> Data {
        try CanonicalJSON.encode(Request(type: type, entityID: entityID, baseVersion: baseVersion, payload: payload))
    }

    private struct Request: Encodable {
        var type: String
        var entityID: String
        var baseVersion: Int?
        var payload: JSONValue

        enum CodingKeys: String, CodingKey {
            case type
            case entityID = "entity_id"
            case baseVersion = "base_version"
            case payload
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
            try container.encode(entityID, forKey: .entityID)
            try container.encode(baseVersion, forKey: .baseVersion)
            try container.encode(payload, forKey: .payload)
        }
    }
}
