/// One entry of the outbound operation log, as the central API receives it.
///
/// Every operation carries the station id, the epoch and a sequence number that orders it among the
/// station's operations, plus an idempotency key so the central side applies it at most once.
public struct OutboxOperation: Sendable, Hashable, Codable {
    public let stationID: StationID
    public let epoch: Int
    public let seq: Int
    public let idempotencyKey: String
    public let kind: OperationKind
    public let entityID: String
    /// The version of the entity the station based this change on, when it had one.
    public let baseVersion: Int?
    /// The operation's own fields as a JSON object text.
    public let payload: String

    public init(
        stationID: StationID,
        epoch: Int,
        seq: Int,
        idempotencyKey: String,
        kind: OperationKind,
        entityID: String,
        baseVersion: Int?,
        payload: String
    ) {
        self.stationID = stationID
        self.epoch = epoch
        self.seq = seq
        self.idempotencyKey = idempotencyKey
        self.kind = kind
        self.entityID = entityID
        self.baseVersion = baseVersion
        self.payload = payload
    }
}

/// Where an outbox entry stands.
public enum OutboxState: String, Sendable, Hashable, CaseIterable, Codable {
    /// Waiting to be sent, or to be sent again after a failed attempt.
    case pending
    /// Applied by the central API (or answered as a duplicate of an applied one).
    case confirmed
    /// Answered with a conflict or a permanent rejection; kept for a person to decide.
    case dead
    /// Not sent: waits for a person to resolve a conflict on the same entity.
    case held
}
