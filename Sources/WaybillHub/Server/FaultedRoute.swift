import Foundation
import HTTPTypes
import Hummingbird

extension HubState {
    /// Runs a route with the faults the plan draws for `endpoint`, and the leaky bucket.
    ///
    /// `handler` gets the drawn fault so routes with their own faults (duplicate or drifting
    /// changes) can act on it; the others are applied here.
    func faulted(_ endpoint: HubEndpoint, _ handler: (FaultInjector.Fault?) async throws -> HubReply) async throws -> Response {
        var bucketHeader: String?
        if let bucket = faults.takeBucket(for: endpoint) {
            if let retryAfter = bucket.retryAfter {
                var reply = HubReply.error(.tooManyRequests, "rate_limited", "the request bucket is full; retry after \(retryAfter) s")
                reply.headers[.retryAfter] = "\(retryAfter)"
                reply.headers[Self.callLimitHeader] = bucket.header
                return reply.response
            }
            bucketHeader = bucket.header
        }
        let fault = faults.draw(for: endpoint)
        var reply: HubReply
        switch fault?.kind {
        case .status500: reply = .error(.internalServerError, "injected_fault", "injected 500")
        case .status502: reply = .error(.badGateway, "injected_fault", "injected 502")
        case .status503: reply = .error(.serviceUnavailable, "injected_fault", "injected 503")
        case .rateLimited:
            reply = .error(.tooManyRequests, "rate_limited", "injected 429; retry after 1 s")
            reply.headers[.retryAfter] = "1"
        case .drop:
            reply = HubReply(status: .ok, headers: [FaultChannelHandler.header: "drop"], body: [])
        case .hang:
            try await Task.sleep(for: .milliseconds(fault?.milliseconds ?? 30_000))
            reply = HubReply(status: .ok, headers: [FaultChannelHandler.header: "drop"], body: [])
        case .latency:
            try await Task.sleep(for: .milliseconds(fault?.milliseconds ?? 200))
            reply = try await handler(fault)
        case .truncate:
            reply = try await handler(fault)
            reply.body = Array(reply.body.prefix(max(1, reply.body.count / 2)))
        case .reset:
            reply = try await handler(fault)
            reply.headers[FaultChannelHandler.header] = "reset"
        case .lostResponse:
            _ = try await handler(fault)
            reply = HubReply(status: .ok, headers: [FaultChannelHandler.header: "drop"], body: [])
        case .duplicateChanges, .schemaDrift, .none:
            reply = try await handler(fault)
        }
        if let bucketHeader { reply.headers[Self.callLimitHeader] = bucketHeader }
        return reply.response
    }

    static let callLimitHeader = HTTPField.Name("X-Api-Call-Limit")!
}
