import WaybillCore

/// How a station reaches its Shopify store (`storefront.*` in the configuration).
public struct ShopifySettings: Sendable, Hashable {
    /// The shop's base URL (`https://example.myshopify.com`).
    public var shopURL: String
    /// The Admin API version (`2025-01`).
    public var apiVersion: String
    /// The app's access token (read from a 0600 file; never logged).
    public var accessToken: String
    /// The location this station fulfils (`gid://shopify/Location/1`).
    public var locationID: String
    /// The station's id, for the orders it reads.
    public var stationID: String
    /// The carrier zone assumed for every address until the planner is told better (2-8).
    public var zone: Int
    /// Fulfillment orders asked for per page (the page's requested cost must stay under 1,000).
    public var pageSize: Int
    /// Whether Shopify emails the customer when an order is fulfilled.
    public var notifyCustomer: Bool
    /// The least time between two sweeps of the assigned fulfillment orders (each costs points).
    public var sweepInterval: Duration

    /// The most fulfillment orders a page may ask for: its requested cost must stay within 1,000 points.
    public static let maxPageSize: Int = {
        let base = ShopifyOperation.requestedCost(of: .assignedFulfillmentOrders, first: 0)
        let perOrder = ShopifyOperation.requestedCost(of: .assignedFulfillmentOrders, first: 1) - base
        return Int((1000 - base) / perOrder)
    }()

    public init(
        shopURL: String,
        apiVersion: String,
        accessToken: String,
        locationID: String,
        stationID: String,
        zone: Int = 5,
        pageSize: Int = 38,
        notifyCustomer: Bool = false,
        sweepInterval: Duration = .seconds(30)
    ) {
        self.shopURL = shopURL.hasSuffix("/") ? String(shopURL.dropLast()) : shopURL
        self.apiVersion = apiVersion
        self.accessToken = accessToken
        self.locationID = locationID
        self.stationID = stationID
        self.zone = zone
        self.pageSize = min(max(1, pageSize), Self.maxPageSize)
        self.notifyCustomer = notifyCustomer
        self.sweepInterval = sweepInterval
    }

    /// The GraphQL endpoint.
    public var endpoint: String { "\(shopURL)/admin/api/\(apiVersion)/graphql.json" }
}
