/// The ways the hub can misbehave on purpose.
public enum FaultKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// 500 Internal Server Error.
    case status500 = "500"
    /// 502 Bad Gateway.
    case status502 = "502"
    /// 503 Service Unavailable.
    case status503 = "503"
    /// 429 Too Many Requests with Retry-After.
    case rateLimited = "429"
    /// The answer comes late (`latency_ms`, default 200 ms).
    case latency
    /// The connection is closed before any response is sent; the request is not processed.
    case drop
    /// The response head and part of the body are sent, then the connection is reset.
    case reset
    /// A complete HTTP response whose JSON body is cut short.
    case truncate
    /// No response at all: the client must time out.
    case hang
    /// A changes page repeats changes from the previous page.
    case duplicateChanges = "duplicates"
    /// A changes page carries unknown fields and a change of an unknown entity type.
    case schemaDrift = "drift"
    /// The operations (or the label purchase) are applied, then the connection is dropped before the
    /// answer (the classic cause of duplicates).
    case lostResponse = "lost"

    /// The endpoints a fault of this kind applies to.
    func applies(to endpoint: HubEndpoint) -> Bool {
        switch self {
        case .duplicateChanges, .schemaDrift: endpoint == .changes
        case .lostResponse: endpoint == .ops || endpoint == .labels || endpoint == .shipping || endpoint == .storefront
        default: true
        }
    }
}

/// The endpoints faults can be set for.
public enum HubEndpoint: String, Sendable, Hashable, CaseIterable, Codable {
    case auth, changes, ops, labels, rates
    /// The ShipEngine emulator's routes (`--emulate shipping`).
    case shipping
    /// The Shopify emulator's GraphQL route (`--emulate storefront`).
    case storefront
}
