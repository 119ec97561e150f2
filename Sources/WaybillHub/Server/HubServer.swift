public import Foundation
import Hummingbird
public import Logging
import NIOCore
import WaybillHubStore

/// The reference hub's HTTP server: the central API under `/v1` and the admin API under `/admin`.
public struct HubServer: Sendable {
    /// Where and how the hub serves.
    public struct Configuration: Sendable {
        public var host: String
        /// The port; 0 picks a free one (``run(onRunning:)`` reports it).
        public var port: Int
        public var databasePath: String
        public var faults: FaultPlan
        /// How long access tokens live, in seconds.
        public var accessTokenLifetime: TimeInterval
        /// The ShipEngine emulator under `/shipengine` (`--emulate shipping`); nil serves none.
        public var shipping: ShippingEmulation?
        /// The Shopify emulator under `/shopify` (`--emulate storefront`); nil serves none.
        public var storefront: StorefrontEmulation?

        public init(
            host: String = "127.0.0.1",
            port: Int = 8700,
            databasePath: String,
            faults: FaultPlan = FaultPlan(),
            accessTokenLifetime: TimeInterval = 900,
            shipping: ShippingEmulation? = nil,
            storefront: StorefrontEmulation? = nil
        ) {
            self.host = host
            self.port = port
            self.databasePath = databasePath
            self.faults = faults
            self.accessTokenLifetime = accessTokenLifetime
            self.shipping = shipping
            self.storefront = storefront
        }
    }

    public let configuration: Configuration
    public let logger: Logger

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Every route the hub serves, as `METHOD /path/{param}` (OpenAPI style), for checking the contract file.
    public static func routeList(databasePath: String) throws -> [String] {
        let state = try HubState(
            store: try HubStore.open(path: databasePath),
            faults: FaultPlan(),
            accessTokenLifetime: 900,
            logger: Logger(label: "routes")
        )
        return try router(state).routes.map { route in
            let path = "\(route.path)".split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            return "\(route.method.rawValue) /" + path.joined(separator: "/")
        }
        .sorted()
    }

    /// The contract file, as bundled.
    public static func openAPIDocument() throws -> String {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw HubStoreError("internal", "openapi.yaml is missing from the hub's resources")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func router(_ state: HubState) throws -> Router<HubRequestContext> {
        let router = Router(context: HubRequestContext.self)
        state.addAuthRoutes(to: router)
        state.addChangesRoutes(to: router)
        state.addOperationsRoutes(to: router)
        state.addLabelRoutes(to: router)
        state.addAdminRoutes(to: router)
        if let shipping = state.shipping { state.addShippingEmulatorRoutes(to: router, emulator: shipping) }
        if let storefront = state.storefront { state.addStorefrontEmulatorRoutes(to: router, emulator: storefront) }
        router.get("/healthz") { _, _ in "ok" }
        let document = try openAPIDocument()
        router.get("/openapi.yaml") { _, _ in
            HubReply(status: .ok, headers: [.contentType: "application/yaml"], body: Array(document.utf8)).response
        }
        return router
    }

    /// Serves until the task is cancelled (or, with `signals`, until SIGTERM/SIGINT).
    ///
    /// - Parameter onRunning: called with the bound port once the server accepts connections.
    public func run(handleSignals: Bool = true, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let store = try HubStore.open(path: configuration.databasePath)
        let released = try store.releaseInFlightLabelPurchases()
        if released > 0 { logger.notice("Released label purchases left in flight by the last run", metadata: ["labels.released": "\(released)"]) }
        let state = try HubState(
            store: store,
            faults: configuration.faults,
            accessTokenLifetime: configuration.accessTokenLifetime,
            logger: logger,
            shipping: configuration.shipping,
            storefront: configuration.storefront
        )
        let router = try Self.router(state)
        let logger = self.logger
        let configuration = self.configuration
        let app = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [FaultChannelHandler()])),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "waybill-hub"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                logger.info(
                    "Hub serving",
                    metadata: [
                        "http.listen": "\(configuration.host):\(port)", "db.path": "\(configuration.databasePath)",
                        "faults.spec": "\(configuration.faults.spec)",
                    ]
                )
                await onRunning(port)
            },
            logger: logger
        )
        if handleSignals {
            try await app.runService()
        } else {
            try await app.run()
        }
    }
}
