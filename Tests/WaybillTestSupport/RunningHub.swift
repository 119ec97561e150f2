import Foundation
import Logging
public import WaybillCore
public import WaybillHTTP
public import WaybillHub
public import WaybillHubStore

/// A real `waybill-hub` server on a free loopback port, over a seeded SQLite file in a temporary folder.
public final class RunningHub: Sendable {
    public let base: String
    public let port: Int
    public let store: HubStore
    public let secrets: [String: String]
    public let client = CurlHTTPClient(configuration: .init(connectTimeout: .seconds(2), requestTimeout: .seconds(10)))
    private let task: Task<Void, any Error>

    private init(port: Int, store: HubStore, secrets: [String: String], task: Task<Void, any Error>) {
        self.port = port
        self.base = "http://127.0.0.1:\(port)"
        self.store = store
        self.secrets = secrets
        self.task = task
    }

    /// Seeds (unless `seed` is false) and starts a hub on `databasePath`, returning once it accepts connections.
    public static func start(
        databasePath: String,
        orders: Int = 40,
        seed: Bool = true,
        faults: String = "",
        secrets existing: [String: String] = [:],
        port: Int = 0,
        shipping: ShippingEmulation? = nil,
        storefront: StorefrontEmulation? = nil
    ) async throws -> RunningHub {
        let store = try HubStore.open(path: databasePath)
        let secrets = seed ? try store.seed(orders: orders, stations: 2, seed: 7).secrets : existing
        var logger = Logger(label: "test.hub")
        // Stopping a hub by cancelling its task makes Hummingbird log an error; tests need not see it.
        logger.logLevel = .critical
        let server = HubServer(
            configuration: .init(
                port: port,
                databasePath: databasePath,
                faults: try FaultPlan(spec: faults),
                shipping: shipping,
                storefront: storefront
            ),
            logger: logger
        )
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task { try await server.run(handleSignals: false) { continuation.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw HubTestError("the hub did not start") }
        return RunningHub(port: port, store: store, secrets: secrets, task: task)
    }

    /// Stops the server and waits until it has closed.
    public func stop() async {
        task.cancel()
        _ = await task.result
    }

    public func send(_ method: String, _ path: String, body: String = "", headers: [(name: String, value: String)] = []) async throws
        -> HTTPResponse
    {
        try await client.send(
            HTTPRequest(
                method: method,
                url: base + path,
                headers: [(name: "Content-Type", value: "application/json")] + headers,
                body: Array(body.utf8)
            )
        )
    }

    /// `POST /v1/auth/token` for a seeded station.
    public func tokens(for station: String = "station-1") async throws -> CentralAPI.TokenResponse {
        let body = try encode(CentralAPI.TokenRequest(stationID: station, secret: secrets[station] ?? ""))
        let response = try await send("POST", "/v1/auth/token", body: body)
        guard response.status == 200 else { throw HubTestError("token: \(response.status) \(response.text)") }
        return try decode(CentralAPI.TokenResponse.self, response)
    }

    public func authorized(_ method: String, _ path: String, token: String, body: String = "", headers: [(name: String, value: String)] = [])
        async throws -> HTTPResponse
    {
        try await send(method, path, body: body, headers: [(name: "Authorization", value: "Bearer \(token)")] + headers)
    }

    /// Pages through the whole feed from `cursor`, returning every change and the final cursor.
    public func pull(token: String, from cursor: String = "0", limit: Int = 50) async throws -> (changes: [CentralAPI.Change], cursor: String) {
        var cursor = cursor
        var changes: [CentralAPI.Change] = []
        while true {
            let response = try await authorized("GET", "/v1/changes?cursor=\(cursor)&limit=\(limit)", token: token)
            guard response.status == 200 else { throw HubTestError("changes: \(response.status) \(response.text)") }
            let page = try decode(CentralAPI.ChangesPage.self, response)
            changes += page.changes
            cursor = page.nextCursor
            if !page.hasMore { return (changes, cursor) }
        }
    }

    public func ledger() async throws -> [LedgerEntry] {
        try decode([LedgerEntry].self, try await send("GET", "/admin/ledger"))
    }

    /// What the fault plan did since it was set: faults injected by kind, and requests by endpoint.
    public func faultCounts() async throws -> (injected: [String: Int], requests: [String: Int]) {
        struct View: Decodable {
            let injected: [String: Int]
            let requests: [String: Int]
        }
        let view = try decode(View.self, try await send("GET", "/admin/faults"))
        return (view.injected, view.requests)
    }

    /// Makes the hub refuse (422, as a whole request) every ops batch that carries an operation on one
    /// of these entities; an empty list stops it.
    public func refuseOperations(on entityIDs: [String]) async throws {
        let response = try await send("PUT", "/admin/ops/refuse", body: try encode(["entity_ids": entityIDs]))
        guard response.status == 200 else { throw HubTestError("refuse: \(response.status) \(response.text)") }
    }

    public func setFaults(_ spec: String) async throws {
        let response = try await send("PUT", "/admin/faults", body: try encode(["spec": spec]))
        guard response.status == 200 else { throw HubTestError("faults: \(response.status) \(response.text)") }
    }
}

public struct HubTestError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public func encode<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

public func decode<T: Decodable>(_ type: T.Type, _ response: HTTPResponse) throws -> T {
    try JSONDecoder().decode(type, from: Data(response.body))
}

extension HTTPResponse {
    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The central API error code of an error response.
    public var errorCode: String? { (try? JSONDecoder().decode(CentralAPI.ErrorBody.self, from: Data(body)))?.code }
}

/// An operation for tests; without a payload, a valid one of its type (an empty plan for `pack`,
/// one box for `label_request`, …).
public func op(
    _ station: String = "station-1",
    epoch: Int = 1,
    seq: Int,
    key: String? = nil,
    _ type: String,
    _ entity: String,
    base: Int? = nil,
    payload: JSONValue? = nil
) -> CentralAPI.Operation {
    CentralAPI.Operation(
        stationID: station,
        epoch: epoch,
        seq: seq,
        idempotencyKey: key ?? "\(station):\(epoch):\(seq)",
        type: type,
        entityID: entity,
        baseVersion: base,
        payload: payload ?? samplePayload(OperationKind(rawValue: type), entity: entity).jsonValue
    )
}
