import Foundation
public import Logging
import Synchronization
public import WaybillCore
public import WaybillHTTP

/// The station's GraphQL connection to a Shopify store: one request at a time through the app's
/// cost bucket. Before each request the client books the operation's requested cost in its model
/// of the bucket and waits until it would be there; every answer's `throttleStatus` corrects the
/// model. A `THROTTLED` answer (someone else spent the bucket) waits for the points and asks again.
public final class ShopifyClient: Sendable {
    let settings: ShopifySettings
    let http: CurlHTTPClient
    let logger: Logger
    private let bucket = Mutex(LeakyBucket(capacity: 1000, restoreRate: 100))
    private let origin = ContinuousClock.now
    private let stats = Mutex(Statistics())

    /// What the client spent and waited, for benchmarks and logs.
    public struct Statistics: Sendable, Hashable {
        public var requests = 0
        public var throttled = 0
        public var pointsSpent = 0.0
        public var secondsWaited = 0.0
    }

    public init(settings: ShopifySettings, http: CurlHTTPClient, logger: Logger) {
        self.settings = settings
        self.http = http
        self.logger = logger
    }

    public var statistics: Statistics { stats.withLock { $0 } }

    private var now: Double { (ContinuousClock.now - origin) / .seconds(1) }

    /// How often a read is asked in all before its failure reaches the caller.
    static let readAttempts = 3

    /// Runs `operation` with `variables` and returns its `data`.
    ///
    /// A read (a query) whose answer did not come, came cut off, or came as a 5xx or 429 is asked
    /// again in place, up to ``readAttempts`` times in all, so that one lost read does not throw
    /// away the sweep's page around it. A mutation is sent once: its retries belong to the push,
    /// which first reads what the store already has.
    ///
    /// - Throws: ``SyncError``: `.transport` (no answer, or one cut off), `.httpStatus` (5xx, 429, throttled five
    ///   times running), `.authentication` (401/403), `.schema` (an answer that does not decode, or
    ///   GraphQL errors other than throttling).
    public func run<Variables: Codable & Sendable & Hashable, Data: Codable & Sendable & Hashable>(
        _ operation: ShopifyOperation,
        variables: Variables,
        first: Int = 0,
        as type: Data.Type,
        freshConnection: Bool = false
    ) async throws(SyncError) -> Data {
        var attempt = 1
        while true {
            do {
                return try await send(operation, variables: variables, first: first, as: type, freshConnection: freshConnection)
            } catch {
                guard operation.isQuery, attempt < Self.readAttempts, [.transport, .httpStatus].contains(error.code) else { throw error }
                logger.debug(
                    "Shopify read failed; asking again",
                    metadata: ["shopify.operation": "\(operation.rawValue)", "sync.error": "\(error.message)", "shopify.attempt": "\(attempt)"]
                )
                try await pause(error.retryAfter.map { $0 / .seconds(1) } ?? 0.25 * Double(attempt))
                attempt += 1
            }
        }
    }

    private func send<Variables: Codable & Sendable & Hashable, Data: Codable & Sendable & Hashable>(
        _ operation: ShopifyOperation,
        variables: Variables,
        first: Int,
        as type: Data.Type,
        freshConnection: Bool
    ) async throws(SyncError) -> Data {
        let requested = ShopifyOperation.requestedCost(of: operation, first: first)
        let body: [UInt8]
        do {
            body = Array(try CanonicalJSON.encode(ShopifyAPI.Request(operation, variables: variables)))
        } catch {
            throw SyncError(.schema, "cannot encode \(operation.rawValue): \(error)")
        }
        for _ in 0..<5 {
            let wait = bucket.withLock { $0.book(cost: requested, now: now) }
            if wait > 0 { try await pause(wait) }
            let response: HTTPResponse
            do {
                response = try await http.send(
                    HTTPRequest(
                        method: "POST",
                        url: settings.endpoint,
                        headers: [(name: "X-Shopify-Access-Token", value: settings.accessToken), (name: "Content-Type", value: "application/json")],
                        body: body,
                        freshConnection: freshConnection
                    )
                )
            } catch {
                throw SyncError(.transport, "the Shopify store did not answer \(operation.rawValue): \(error)")
            }
            stats.withLock { $0.requests += 1 }
            guard response.status == 200 else { throw Self.error(for: response, operation: operation) }
            let answer: ShopifyAPI.Response<Data>
            do {
                answer = try JSONDecoder().decode(ShopifyAPI.Response<Data>.self, from: Foundation.Data(response.body))
            } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
                // Not JSON at all: the answer was cut off on the way (its outcome unknown), not one of another shape.
                throw SyncError(.transport, "Shopify's answer to \(operation.rawValue) was cut off: \(context.debugDescription)", status: 200)
            } catch {
                throw SyncError(.schema, "Shopify's answer to \(operation.rawValue) does not decode: \(error)", status: 200)
            }
            if let cost = answer.extensions?.cost { observe(cost) }
            if let errors = answer.errors, !errors.isEmpty {
                if errors.contains(where: { $0.extensions?.code == "THROTTLED" }) {
                    stats.withLock { $0.throttled += 1 }
                    // Without the bucket's count in the answer, a second, as Shopify advises.
                    if answer.extensions?.cost == nil { try await pause(1) }
                    logger.notice("Shopify throttled a request; waiting for the bucket", metadata: ["shopify.operation": "\(operation.rawValue)"])
                    continue
                }
                throw SyncError(
                    .refused,
                    "Shopify refused \(operation.rawValue): "
                        + errors.map { "\($0.message) (\($0.extensions?.code ?? "no code"))" }.joined(separator: "; "),
                    status: 200
                )
            }
            guard let data = answer.data else { throw SyncError(.schema, "Shopify answered \(operation.rawValue) without data", status: 200) }
            return data
        }
        throw SyncError(.httpStatus, "Shopify throttled \(operation.rawValue) five times running; asking again later", status: 200)
    }

    /// Adopts the store's own count of the bucket (and its size and pace, should they differ).
    private func observe(_ cost: ShopifyAPI.Cost) {
        let status = cost.throttleStatus
        bucket.withLock { bucket in
            if bucket.capacity != status.maximumAvailable || bucket.restoreRate != status.restoreRate, status.maximumAvailable > 0,
                status.restoreRate > 0
            {
                bucket = LeakyBucket(capacity: status.maximumAvailable, restoreRate: status.restoreRate)
            }
            bucket.observe(available: status.currentlyAvailable, now: now)
        }
        stats.withLock { $0.pointsSpent += cost.actualQueryCost ?? 0 }
    }

    private func pause(_ seconds: Double) async throws(SyncError) {
        stats.withLock { $0.secondsWaited += seconds }
        do {
            try await Task.sleep(for: .seconds(seconds))
        } catch {
            throw SyncError(.transport, "cancelled while waiting for Shopify's bucket")
        }
    }

    static func error(for response: HTTPResponse, operation: ShopifyOperation) -> SyncError {
        let text = String(decoding: response.body.prefix(300), as: UTF8.self)
        switch response.status {
        case 401, 403:
            return SyncError(
                .authentication,
                "Shopify refused the access token (\(response.status)) for \(operation.rawValue): \(text); check storefront.token_file",
                status: response.status
            )
        default:
            guard ResponseClassification(status: response.status) == .retry else {
                return SyncError(.refused, "Shopify answered \(operation.rawValue) \(response.status): \(text)", status: response.status)
            }
            return SyncError(
                .httpStatus,
                "Shopify answered \(operation.rawValue) \(response.status)",
                status: response.status,
                retryAfter: response.header("Retry-After").flatMap { RetryAfter.parse($0) }
            )
        }
    }
}
