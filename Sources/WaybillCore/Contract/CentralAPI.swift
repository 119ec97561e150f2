/// The central API's wire types (version 1), shared by the agent and `waybill-hub`.
///
/// `Sources/WaybillHub/Resources/openapi.yaml` (OpenAPI 3.1, served by the hub at `/openapi.yaml`) is the written contract; these types are its Swift form.
/// Decoders ignore unknown fields, so either side can add fields without breaking the other.
public enum CentralAPI {
    /// `POST /v1/auth/token`.
    public struct TokenRequest: Codable, Sendable, Hashable {
        public var stationID: String
        public var secret: String

        public init(stationID: String, secret: String) {
            self.stationID = stationID
            self.secret = secret
        }

        enum CodingKeys: String, CodingKey {
            case stationID = "station_id"
            case secret
        }
    }

    /// `POST /v1/auth/refresh`.
    public struct RefreshRequest: Codable, Sendable, Hashable {
        public var refreshToken: String

        public init(refreshToken: String) {
            self.refreshToken = refreshToken
        }

        enum CodingKeys: String, CodingKey {
            case refreshToken = "refresh_token"
        }
    }

    /// The answer to both auth endpoints: a short-lived access token and a rotated refresh token.
    public struct TokenResponse: Codable, Sendable, Hashable {
        public var accessToken: String
        public var refreshToken: String
        /// Seconds until the access token expires.
        public var expiresIn: Int

        public init(accessToken: String, refreshToken: String, expiresIn: Int) {
            self.accessToken = accessToken
            self.refreshToken = refreshToken
            self.expiresIn = expiresIn
        }

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case refreshToken = "refresh_token"
            case expiresIn = "expires_in"
        }
    }

    /// One operation of `POST /v1/ops`.
    public struct Operation: Codable, Sendable, Hashable {
        public var stationID: String
        public var epoch: Int
        public var seq: Int
        public var idempotencyKey: String
        /// An ``OperationKind`` raw value; kept as text so an unknown type is answered, not lost.
        public var type: String
        public var entityID: String
        public var baseVersion: Int?
        public var payload: JSONValue

        public init(
            stationID: String,
            epoch: Int,
            seq: Int,
            idempotencyKey: String,
            type: String,
            entityID: String,
            baseVersion: Int?,
            payload: JSONValue
        ) {
            self.stationID = stationID
            self.epoch = epoch
            self.seq = seq
            self.idempotencyKey = idempotencyKey
            self.type = type
            self.entityID = entityID
            self.baseVersion = baseVersion
            self.payload = payload
        }

        enum CodingKeys: String, CodingKey {
            case stationID = "station_id"
            case epoch, seq
            case idempotencyKey = "idempotency_key"
            case type
            case entityID = "entity_id"
            case baseVersion = "base_version"
            case payload
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            stationID = try container.decode(String.self, forKey: .stationID)
            epoch = try container.decode(Int.self, forKey: .epoch)
            seq = try container.decode(Int.self, forKey: .seq)
            idempotencyKey = try container.decode(String.self, forKey: .idempotencyKey)
            type = try container.decode(String.self, forKey: .type)
            entityID = try container.decode(String.self, forKey: .entityID)
            baseVersion = try container.decodeIfPresent(Int.self, forKey: .baseVersion)
            payload = try container.decodeIfPresent(JSONValue.self, forKey: .payload) ?? .object([:])
        }
    }

    /// `POST /v1/ops` request body.
    public struct OperationBatch: Codable, Sendable, Hashable {
        public var ops: [Operation]

        public init(ops: [Operation]) {
            self.ops = ops
        }
    }

    /// How the central API answered one operation.
    public enum OperationStatus: String, Codable, Sendable, Hashable {
        /// Applied now; `version` is the entity's new version.
        case applied
        /// Applied before under the same idempotency key; the original answer is replayed.
        case duplicate
        /// Not applied: the entity changed in a way the operation cannot build on; `entity` is its current state.
        case conflict
        /// Not applied, permanently: `reason` says why.
        case rejected
    }

    /// The answer for one operation.
    public struct OperationResult: Codable, Sendable, Hashable {
        public var seq: Int
        public var idempotencyKey: String
        public var status: OperationStatus
        /// The entity's version after the operation (applied, duplicate).
        public var version: Int?
        /// A machine-readable reason code (conflict, rejected).
        public var reason: String?
        /// The entity as the central API holds it now (conflict).
        public var entity: JSONValue?
        /// For a duplicate: the status of the original answer.
        public var originalStatus: OperationStatus?

        public init(
            seq: Int,
            idempotencyKey: String,
            status: OperationStatus,
            version: Int? = nil,
            reason: String? = nil,
            entity: JSONValue? = nil,
            originalStatus: OperationStatus? = nil
        ) {
            self.seq = seq
            self.idempotencyKey = idempotencyKey
            self.status = status
            self.version = version
            self.reason = reason
            self.entity = entity
            self.originalStatus = originalStatus
        }

        enum CodingKeys: String, CodingKey {
            case seq
            case idempotencyKey = "idempotency_key"
            case status, version, reason, entity
            case originalStatus = "original_status"
        }
    }

    /// `POST /v1/ops` response body. When a sequence gap stops the batch, `error` says so and the
    /// operations after the gap have no result: send them again after the missing ones.
    public struct OperationBatchResult: Codable, Sendable, Hashable {
        public var results: [OperationResult]
        public var error: ErrorBody?

        public init(results: [OperationResult], error: ErrorBody? = nil) {
            self.results = results
            self.error = error
        }
    }

    /// The one error shape of every endpoint.
    public struct ErrorBody: Codable, Sendable, Hashable, Error {
        /// A stable, machine-readable code such as `token_expired` or `seq_gap`.
        public var code: String
        /// What happened, for people.
        public var message: String
        public var details: [String: JSONValue]?

        public init(code: String, message: String, details: [String: JSONValue]? = nil) {
            self.code = code
            self.message = message
            self.details = details
        }
    }

    /// One change of the changes feed.
    public struct Change: Codable, Sendable, Hashable {
        public var entity: String
        public var id: String
        public var version: Int
        public var op: String
        public var data: JSONValue?

        public init(entity: String, id: String, version: Int, op: String, data: JSONValue?) {
            self.entity = entity
            self.id = id
            self.version = version
            self.op = op
            self.data = data
        }
    }

    /// `GET /v1/changes` response body.
    public struct ChangesPage: Codable, Sendable, Hashable {
        public var changes: [Change]
        public var nextCursor: String
        public var hasMore: Bool
        /// The feed's newest position, so a client can tell how far behind it is.
        public var head: String?
        public var checksum: String

        public init(changes: [Change], nextCursor: String, hasMore: Bool, head: String? = nil, checksum: String) {
            self.changes = changes
            self.nextCursor = nextCursor
            self.hasMore = hasMore
            self.head = head
            self.checksum = checksum
        }

        enum CodingKeys: String, CodingKey {
            case changes
            case nextCursor = "next_cursor"
            case hasMore = "has_more"
            case head, checksum
        }
    }
}
