import Foundation
import Logging
import WaybillCore
import WaybillHTTP
import WaybillStore
public import WaybillSync

/// A station whose orders come from the hub's Shopify emulator and whose labels from its ShipEngine
/// emulator (a ``RunningHub`` started with both), with the catalog file the emulator exports.
public enum StorefrontStation {
    public static let key = "TEST_waybill_emulator_key"

    /// A harness over a store in `folder` (new unless given), its engine built with the connectors.
    public static func harness(
        hub: RunningHub,
        folder: TemporaryDirectory? = nil,
        pageSize: Int = 38,
        notifyCustomer: Bool = false
    ) async throws -> (SyncHarness, ShopifyClient) {
        let folder = try folder ?? TemporaryDirectory()
        let store = try WaybillStore.open(atPath: folder.file("station-1.sqlite"))
        _ = try store.identity(for: StationID(rawValue: "station-1")!)
        let catalog = folder.file("catalog.json")
        if !FileManager.default.fileExists(atPath: catalog) {
            let response = try await hub.send("GET", "/admin/emulators/storefront/catalog?station=station-1")
            guard response.status == 200 else { throw HubTestError("catalog: \(response.status)") }
            try Data(response.body).write(to: URL(fileURLWithPath: catalog))
        }
        var logger = Logger(label: "test.storefront")
        logger.logLevel = .critical
        let http = CurlHTTPClient(configuration: .init(connectTimeout: .milliseconds(500), requestTimeout: .seconds(5)))
        let client = ShopifyClient(
            settings: ShopifySettings(
                shopURL: hub.base + "/shopify",
                apiVersion: "2025-01",
                accessToken: key,
                locationID: "gid://shopify/Location/1",
                stationID: "station-1",
                pageSize: pageSize,
                notifyCustomer: notifyCustomer,
                sweepInterval: .zero
            ),
            http: http,
            logger: logger
        )
        let policy = RetryPolicy(base: .milliseconds(5), cap: .milliseconds(100))
        let engine = SyncEngine(
            store: store,
            source: ShopifyOrderSource(client: client, store: store, catalogFile: catalog, policy: policy, logger: logger),
            labelProvider: ShipEngineLabelProvider.emulated(base: hub.base, apiKey: key, store: store, logger: logger, http: http),
            policy: policy,
            logger: logger,
            backupDirectory: folder.path
        )
        return (SyncHarness(folder: folder, store: store, engine: engine), client)
    }
}
