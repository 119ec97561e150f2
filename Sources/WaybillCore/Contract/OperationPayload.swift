public import Foundation

/// The payload of an operation type, as the contract gives it: what `POST /v1/ops` carries under
/// `payload`.
///
/// The station writes an operation's payload once, in canonical JSON (``canonicalText()``), into its
/// outbox row, and sends those bytes on every attempt; the central API decodes it with the type
/// ``OperationKind/payloadType`` names and rejects an operation whose payload does not decode
/// (`invalid_payload`).
public protocol OperationPayload: Codable, Sendable, Hashable {
    /// The payload's canonical JSON text (``CanonicalJSON``): the bytes stored and sent.
    func canonicalText() throws -> String
}

extension OperationPayload {
    public func canonicalText() throws -> String {
        String(decoding: try CanonicalJSON.encode(self), as: UTF8.self)
    }
}

extension OperationKind {
    /// The type of this kind's payload.
    public var payloadType: any OperationPayload.Type {
        switch self {
        case .claim, .ship: CentralAPI.EmptyPayload.self
        case .pack: Shipment.self
        case .weigh: CentralAPI.WeighPayload.self
        case .verify: CentralAPI.VerifyPayload.self
        case .labelRequest: CentralAPI.LabelRequestPayload.self
        case .printed: CentralAPI.PrintedPayload.self
        case .reprint: CentralAPI.ReprintPayload.self
        case .voidLabel: CentralAPI.VoidLabelPayload.self
        case .stockDelta: CentralAPI.StockDeltaPayload.self
        case .resolveConflict: CentralAPI.ResolveConflictPayload.self
        }
    }

    /// Decodes the payload inside a canonical request (``CentralAPI/Operation/canonicalRequest()``)
    /// as this kind's payload type: the central API encodes each operation once, for its digest, and
    /// checks the payload from the same bytes.
    public func decodePayload(fromRequest request: Data) throws -> any OperationPayload {
        try Self.payload(payloadType, fromRequest: request)
    }

    private static func payload<Payload: OperationPayload>(_: Payload.Type, fromRequest request: Data) throws -> any OperationPayload {
        try JSONDecoder().decode(RequestPayload<Payload>.self, from: request).payload
    }
}

/// The `payload` member of a request, decoded as `Payload`; the other members are not read.
private struct RequestPayload<Payload: Decodable>: Decodable {
    let payload: Payload
}

extension CentralAPI {
    /// The payload of an operation whose type says everything (`claim`, `ship`): an empty object.
    public struct EmptyPayload: OperationPayload {
        public init() {}

        /// `{}`, as ``CanonicalJSON`` writes it, without an encoder (claims and ships are a packer's
        /// most frequent actions). `CanonicalContractTests` checks that the two agree.
        public func canonicalText() -> String { "{}" }
    }
}
