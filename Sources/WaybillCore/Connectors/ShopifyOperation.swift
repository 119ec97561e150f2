/// The operations a station sends, each with its exact document (the emulator answers by name).
public enum ShopifyOperation: String, Sendable, CaseIterable {
    case assignedFulfillmentOrders = "AssignedFulfillmentOrders"
    case fulfillmentOrderFulfillments = "FulfillmentOrderFulfillments"
    case fulfillmentOrderLineItems = "FulfillmentOrderLineItems"
    case acceptFulfillmentRequest = "AcceptFulfillmentRequest"
    case fulfillmentCreate = "FulfillmentCreate"
    case acceptCancellationRequest = "AcceptCancellationRequest"

    /// Line items read with each fulfillment order in a page (a larger order's others are read
    /// with ``fulfillmentOrderLineItems``): the page's requested cost grows with it.
    public static let lineItemsPerOrder = 10
    /// Line items read per ``fulfillmentOrderLineItems`` request.
    public static let lineItemsPerRequest = 50

    /// Whether the operation only reads (a GraphQL query): asking again changes nothing in the store.
    public var isQuery: Bool { document.hasPrefix("query ") }

    public var document: String {
        switch self {
        case .assignedFulfillmentOrders:
            """
            query AssignedFulfillmentOrders($first: Int!, $after: String, $locationIds: [ID!]) { \
            assignedFulfillmentOrders(first: $first, after: $after, locationIds: $locationIds, sortKey: ID) { \
            edges { cursor node { id status requestStatus updatedAt order { id name } \
            destination { firstName lastName company address1 address2 city province zip countryCode phone } \
            lineItems(first: \(Self.lineItemsPerOrder)) { edges { node { id totalQuantity remainingQuantity sku variant { sku barcode } } } \
            pageInfo { hasNextPage endCursor } } } } pageInfo { hasNextPage endCursor } } }
            """
        case .fulfillmentOrderFulfillments:
            """
            query FulfillmentOrderFulfillments($id: ID!) { fulfillmentOrder(id: $id) { id status \
            fulfillments(first: 10) { edges { node { id status trackingInfo(first: 10) { company number url } } } \
            pageInfo { hasNextPage endCursor } } } }
            """
        case .fulfillmentOrderLineItems:
            """
            query FulfillmentOrderLineItems($id: ID!, $after: String) { fulfillmentOrder(id: $id) { id \
            lineItems(first: \(Self.lineItemsPerRequest), after: $after) { edges { node { id totalQuantity remainingQuantity sku \
            variant { sku barcode } } } pageInfo { hasNextPage endCursor } } } }
            """
        case .acceptFulfillmentRequest:
            """
            mutation AcceptFulfillmentRequest($id: ID!) { fulfillmentOrderAcceptFulfillmentRequest(id: $id) { \
            fulfillmentOrder { id status requestStatus } userErrors { field message } } }
            """
        case .fulfillmentCreate:
            """
            mutation FulfillmentCreate($fulfillment: FulfillmentInput!) { fulfillmentCreate(fulfillment: $fulfillment) { \
            fulfillment { id status trackingInfo(first: 10) { company number url } } userErrors { field message } } }
            """
        case .acceptCancellationRequest:
            """
            mutation AcceptCancellationRequest($id: ID!) { fulfillmentOrderAcceptCancellationRequest(id: $id) { \
            fulfillmentOrder { id status requestStatus } userErrors { field message } } }
            """
        }
    }

    /// The cost Shopify computes before running the operation (objects 1, connections 2 plus what
    /// they may hold, mutations 10), for `first` fulfillment orders a page.
    public static func requestedCost(of operation: ShopifyOperation, first: Int = 0) -> Double {
        switch operation {
        case .assignedFulfillmentOrders:
            // The connection, and per order: the node, `order`, `destination`, and its line items
            // connection (each line item and its variant).
            Double(2 + first * (3 + 2 + lineItemsPerOrder * 2))
        case .fulfillmentOrderFulfillments: Double(1 + 2 + 10 * (1 + 2 + 10))
        case .fulfillmentOrderLineItems: Double(1 + 2 + lineItemsPerRequest * 2)
        case .acceptFulfillmentRequest, .fulfillmentCreate, .acceptCancellationRequest: 10
        }
    }

    /// The actual cost of a page of fulfillment orders holding `lineItems` line items in all.
    public static func actualPageCost(orders: Int, lineItems: Int) -> Double {
        Double(2 + orders * 5 + lineItems * 2)
    }
}
