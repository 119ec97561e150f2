import Foundation
import Hummingbird
import Logging
import NIOPosix
import ServiceLifecycle
import WaybillStation
import WaybillStore

/// The agent's local HTTP server (`http.listen`, loopback by default): `/metrics`, `/healthz`,
/// `/events` and the packer's station screen under `/station` (``StationScreen``). Routes only
/// translate; the facts come from ``AgentMetrics``, ``StationHealth`` and the ``OrderEventBroadcaster``.
/// ``StationAccess`` stands in front of every route: `/metrics` and `/healthz` answer this machine
/// only; the screen and `/events` want a signed-in packer off loopback (and on it, once the station
/// has packers).
///
/// - `GET /metrics`: Prometheus text format (version 0.0.4).
/// - `GET /healthz`: 200 `ok` when the health model has no problem (`waybill status` says `ok`); 503
///   with one line per problem otherwise, the same sentences `waybill status` prints.
/// - `GET /events`: Server-Sent Events: `counts` (orders by state) and `station` (connectivity,
///   offline since, outbox depth, open conflicts) at once and whenever they move, `change` for each
///   order that changes.
enum LocalHTTPServer {
    /// The Hummingbird application, a `Service` for the agent's group.
    ///
    /// - Parameters:
    ///   - address: `HOST:PORT` (IPv6 hosts in brackets).
    ///   - onRunning: called once the server listens (after it logged the address it bound).
    static func service(
        address: String,
        store: WaybillStore,
        metrics: AgentMetrics,
        health: StationHealth,
        events: OrderEventBroadcaster,
        station: StationScreen? = nil,
        stationName: String,
        logger: Logger,
        onRunning: @escaping @Sendable () async -> Void
    ) throws(ConfigurationError) -> some Service {
        let (host, port) = try split(address)
        let router = Router(context: StationRequestContext.self)
        router.add(middleware: StationAccess(sessions: station?.sessions ?? StationSessions(), store: store, stationName: stationName))
        station?.addRoutes(to: router)
        router.get("/metrics") { _, _ -> Response in
            if let status = try? store.status(), let state = try? store.syncState() {
                metrics.recordStore(status, syncState: state)
            }
            let last = await withTaskExecutorPreference(BlockingExecutor.shared) {
                health.refresh()
                return health.last
            }
            metrics.recordHealth(last.problems, disks: last.disks)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition()))
            )
        }
        router.get("/healthz") { _, _ -> Response in
            // Fresh, on the blocking lane (it reads the store and the disks), like `waybill status`.
            let problems = await withTaskExecutorPreference(BlockingExecutor.shared) { health.refresh() }.map(\.sentence)
            return Response(
                status: problems.isEmpty ? .ok : .serviceUnavailable,
                headers: [.contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: problems.isEmpty ? "ok\n" : problems.joined(separator: "\n") + "\n"))
            )
        }
        router.get("/events") { _, _ -> Response in
            let stream = events.subscribe()
            var first = (try? store.orderCounts()).map { ServerSentEvent.counts($0).text } ?? ""
            if let status = try? store.status(), let state = try? store.syncState() {
                first += ServerSentEvent.station(status: status, syncState: state, problems: health.problems).text
            }
            let initial = first
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: initial))
                    for await text in stream {
                        try await writer.write(ByteBuffer(string: text))
                    }
                    try await writer.finish(nil)
                }
            )
        }
        var serverLogger = logger
        serverLogger[metadataKey: "http.listen"] = "\(address)"
        let application = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "waybill"),
            onServerRunning: { channel in
                // The address as bound: with port 0, the one the system picked.
                let bound = "\(host.contains(":") ? "[\(host)]" : host):\(channel.localAddress?.port ?? port)"
                logger.notice("Local HTTP listening", metadata: ["http.address": "\(bound)"])
                await onRunning()
            },
            eventLoopGroupProvider: .shared(eventLoopGroup),
            logger: serverLogger
        )
        return Listening(address: address, application: application)
    }

    /// One event-loop thread: the server answers a local scraper and a dashboard (NIO's shared group
    /// would start one thread per core, each with its own stack and heap arena).
    static let eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Runs the application and turns a failure to listen into a message that says what to do.
    private struct Listening<Wrapped: Service>: Service, CustomStringConvertible {
        let address: String
        let application: Wrapped

        var description: String { "LocalHTTPServer" }

        func run() async throws {
            do {
                try await application.run()
            } catch {
                throw LocalHTTPError(
                    description: "cannot serve http.listen \(address): \(error); pick a free address or set http.listen: off"
                )
            }
        }
    }

    /// Splits `HOST:PORT`; brackets around an IPv6 host are dropped.
    static func split(_ address: String) throws(ConfigurationError) -> (host: String, port: Int) {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            throw ConfigurationError(.wrongType, source: "http.listen", key: ConfigurationKey.httpListen.name, "'\(address)' is not HOST:PORT")
        }
        var host = String(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }
}

/// The local HTTP server could not run; the agent stops with ``description``.
struct LocalHTTPError: Error, CustomStringConvertible {
    let description: String
}
