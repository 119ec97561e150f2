import Foundation
import Logging
import WaybillCore
import WaybillHTTP
import WaybillStore
import WaybillSync

/// Builds the sync engine from the configuration, or says why it cannot.
enum SyncComposition {
    static func engine(configuration: StationConfiguration, store: WaybillStore, logger: Logger) throws -> SyncEngine {
        let policy = RetryPolicy(base: configuration.retryBase, cap: configuration.retryCap)
        let backups = URL(fileURLWithPath: configuration.storePath).deletingLastPathComponent().path
        // Labels come from the shipping provider when one is configured, else from the central hub.
        let labelProvider: (any LabelProvider)? = try configuration.shipping.map { shipping in
            ShipEngineLabelProvider(settings: try shipping.connector(), http: providerHTTP(configuration), store: store, logger: logger)
        }
        if let storefront = configuration.storefront, let labelProvider {
            let client = ShopifyClient(
                settings: try storefront.connector(stationID: configuration.stationID.rawValue),
                http: providerHTTP(configuration),
                logger: logger
            )
            return SyncEngine(
                store: store,
                source: ShopifyOrderSource(client: client, store: store, catalogFile: storefront.catalogFile, policy: policy, logger: logger),
                labelProvider: labelProvider,
                policy: policy,
                logger: logger,
                backupDirectory: backups
            )
        }
        let secret = try SecretFile.read(path: configuration.secretFile)
        let http = CurlHTTPClient(
            configuration: HTTPClientConfiguration(
                connectTimeout: min(configuration.requestTimeout, .seconds(10)),
                requestTimeout: configuration.requestTimeout,
                verifyTLS: configuration.verifyTLS,
                caFile: configuration.caFile,
                proxy: configuration.proxy,
                userAgent: "waybill/\(WaybillVersion.current) (\(configuration.stationID))"
            )
        )
        let client = CentralClient(baseURL: configuration.centralURL, stationID: configuration.stationID, secret: secret, http: http, logger: logger)
        return SyncEngine(store: store, client: client, policy: policy, logger: logger, backupDirectory: backups, labelProvider: labelProvider)
    }

    /// The planner's live prices: the engine's label provider, when `shipping.live_rates` is on.
    static func liveRates(configuration: StationConfiguration, engine: SyncEngine?, store: WaybillStore, logger: Logger) -> LiveRates? {
        guard let engine, configuration.shipping?.liveRates == true else { return nil }
        return LiveRates(provider: engine.labelProvider, store: store, logger: logger)
    }

    /// Live prices for a command (`waybill pack`): the shipping provider alone, which needs only
    /// its own key file; its failures are the command's to say, not the agent's status to keep.
    ///
    /// - Throws: ``ConfigurationError`` when the provider's key cannot be read here.
    static func commandLiveRates(configuration: StationConfiguration, store: WaybillStore, logger: Logger) throws -> LiveRates? {
        guard let shipping = configuration.shipping, shipping.liveRates else { return nil }
        let provider = ShipEngineLabelProvider(settings: try shipping.connector(), http: providerHTTP(configuration), store: store, logger: logger)
        return LiveRates(provider: provider, store: store, logger: logger, recordsStatus: false)
    }

    /// A client for a provider's API (the storefront's, the shipping provider's): its certificate is
    /// always verified against the system's CAs, whatever `central.verify_tls` and `central.ca_file`
    /// say of the central hub.
    private static func providerHTTP(_ configuration: StationConfiguration) -> CurlHTTPClient {
        CurlHTTPClient(
            configuration: HTTPClientConfiguration(
                connectTimeout: min(configuration.requestTimeout, .seconds(10)),
                requestTimeout: configuration.requestTimeout,
                verifyTLS: true,
                userAgent: "waybill/\(WaybillVersion.current) (\(configuration.stationID))"
            )
        )
    }
}
