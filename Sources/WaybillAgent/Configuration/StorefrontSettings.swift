import WaybillSync

/// The Shopify store a station's orders come from (`storefront.*`, with `central.kind: storefront`).
public struct StorefrontSettings: Sendable, Hashable {
    /// `storefront.url`: the shop's base URL (`https://example.myshopify.com`).
    public var url: String
    /// `storefront.api_version`: the Admin API version.
    public var apiVersion: String
    /// `storefront.token_file`: the file holding the app's access token (mode 0600).
    public var tokenFile: String
    /// `storefront.location_id`: the location this station fulfils, as a `gid://shopify/Location/N`.
    public var locationID: String
    /// `storefront.catalog_file`: the SKUs, stock, boxes, rate tables and rules, as a changes page
    /// (`waybill-hub`'s `GET /admin/emulators/storefront/catalog` writes one).
    public var catalogFile: String
    /// `storefront.zone`: the carrier zone the planner assumes for every address.
    public var zone: Int
    /// `storefront.notify_customer`: whether Shopify emails the customer on fulfilment.
    public var notifyCustomer: Bool
    /// `storefront.sweep_interval`: the least time between two reads of the assigned orders.
    public var sweepInterval: Duration

    /// The connector's settings, the token read from its file.
    /// - Throws: ``ConfigurationError`` when the token file is missing, empty or readable by others.
    func connector(stationID: String) throws(ConfigurationError) -> ShopifySettings {
        ShopifySettings(
            shopURL: url,
            apiVersion: apiVersion,
            accessToken: try SecretFile.read(path: tokenFile, key: ConfigurationKey.storefrontTokenFile.name),
            locationID: locationID,
            stationID: stationID,
            zone: zone,
            notifyCustomer: notifyCustomer,
            sweepInterval: sweepInterval
        )
    }
}
