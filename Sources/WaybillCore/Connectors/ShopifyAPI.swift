/// The slice of the Shopify Admin GraphQL API's fulfillment-order surface a station uses, as its
/// reference documents it: `assignedFulfillmentOrders` (Relay pagination), `fulfillmentOrder` with its
/// fulfillments, and the mutations `fulfillmentOrderAcceptFulfillmentRequest`, `fulfillmentCreate`
/// and `fulfillmentOrderAcceptCancellationRequest`, with the `extensions.cost` every answer carries.
///
/// The station's connector and the emulator in `waybill-hub` both use these types and the
/// operation documents of ``ShopifyOperation``.
public enum ShopifyAPI {
    /// A GraphQL request body: `{"query", "operationName", "variables"}`.
    public struct Request<Variables: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
        public var query: String
        public var operationName: String
        public var variables: Variables

        public init(_ operation: ShopifyOperation, variables: Variables) {
            self.query = operation.document
            self.operationName = operation.rawValue
            self.variables = variables
        }
    }

    /// A GraphQL answer: `data`, `errors` (a 200 with errors, such as `THROTTLED`) and `extensions`.
    public struct Response<Data: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
        public var data: Data?
        public var errors: [GraphQLError]?
        public var extensions: Extensions?

        public init(data: Data?, errors: [GraphQLError]? = nil, extensions: Extensions? = nil) {
            self.data = data
            self.errors = errors
            self.extensions = extensions
        }
    }

    public struct GraphQLError: Codable, Sendable, Hashable {
        public struct Extensions: Codable, Sendable, Hashable {
            /// `THROTTLED`, `MAX_COST_EXCEEDED`, `ACCESS_DENIED`, …
            public var code: String?
            public init(code: String?) { self.code = code }
        }
        public var message: String
        public var extensions: Extensions?

        public init(message: String, code: String?) {
            self.message = message
            self.extensions = Extensions(code: code)
        }
    }

    public struct Extensions: Codable, Sendable, Hashable {
        public var cost: Cost?
        public init(cost: Cost?) { self.cost = cost }
    }

    /// What a query cost and what the app's bucket holds now.
    public struct Cost: Codable, Sendable, Hashable {
        public var requestedQueryCost: Double
        /// nil when the query did not run (throttled).
        public var actualQueryCost: Double?
        public var throttleStatus: ThrottleStatus

        public init(requestedQueryCost: Double, actualQueryCost: Double?, throttleStatus: ThrottleStatus) {
            self.requestedQueryCost = requestedQueryCost
            self.actualQueryCost = actualQueryCost
            self.throttleStatus = throttleStatus
        }
    }

    public struct ThrottleStatus: Codable, Sendable, Hashable {
        public var maximumAvailable: Double
        public var currentlyAvailable: Double
        /// Points restored per second.
        public var restoreRate: Double

        public init(maximumAvailable: Double, currentlyAvailable: Double, restoreRate: Double) {
            self.maximumAvailable = maximumAvailable
            self.currentlyAvailable = currentlyAvailable
            self.restoreRate = restoreRate
        }
    }

    /// A Relay connection.
    public struct Connection<Node: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
        public struct Edge: Codable, Sendable, Hashable {
            public var cursor: String?
            public var node: Node
            public init(cursor: String?, node: Node) {
                self.cursor = cursor
                self.node = node
            }
        }
        public var edges: [Edge]
        public var pageInfo: PageInfo

        public init(edges: [Edge], pageInfo: PageInfo) {
            self.edges = edges
            self.pageInfo = pageInfo
        }
    }

    public struct PageInfo: Codable, Sendable, Hashable {
        public var hasNextPage: Bool
        public var endCursor: String?
        public init(hasNextPage: Bool, endCursor: String?) {
            self.hasNextPage = hasNextPage
            self.endCursor = endCursor
        }
    }

    public struct OrderRef: Codable, Sendable, Hashable {
        public var id: String
        public var name: String
        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    /// Where a fulfillment order goes (every field nullable, as documented).
    public struct Destination: Codable, Sendable, Hashable {
        public var firstName: String?
        public var lastName: String?
        public var company: String?
        public var address1: String?
        public var address2: String?
        public var city: String?
        public var province: String?
        public var zip: String?
        public var countryCode: String?
        public var phone: String?

        public init(
            firstName: String?,
            lastName: String?,
            company: String?,
            address1: String?,
            address2: String?,
            city: String?,
            province: String?,
            zip: String?,
            countryCode: String?,
            phone: String?
        ) {
            self.firstName = firstName
            self.lastName = lastName
            self.company = company
            self.address1 = address1
            self.address2 = address2
            self.city = city
            self.province = province
            self.zip = zip
            self.countryCode = countryCode
            self.phone = phone
        }
    }

    public struct Variant: Codable, Sendable, Hashable {
        public var sku: String?
        public var barcode: String?
        public init(sku: String?, barcode: String?) {
            self.sku = sku
            self.barcode = barcode
        }
    }

    public struct LineItem: Codable, Sendable, Hashable {
        public var id: String
        public var totalQuantity: Int
        public var remainingQuantity: Int
        public var sku: String?
        public var variant: Variant?

        public init(id: String, totalQuantity: Int, remainingQuantity: Int, sku: String?, variant: Variant?) {
            self.id = id
            self.totalQuantity = totalQuantity
            self.remainingQuantity = remainingQuantity
            self.sku = sku
            self.variant = variant
        }
    }

    public struct FulfillmentOrder: Codable, Sendable, Hashable {
        public var id: String
        /// `OPEN`, `IN_PROGRESS`, `CLOSED`, `CANCELLED`, `INCOMPLETE`, `ON_HOLD`, `SCHEDULED`.
        public var status: String
        /// `UNSUBMITTED`, `SUBMITTED`, `ACCEPTED`, `REJECTED`, `CANCELLATION_REQUESTED`, …
        public var requestStatus: String
        public var updatedAt: String
        public var order: OrderRef
        public var destination: Destination?
        public var lineItems: Connection<LineItem>

        public init(
            id: String,
            status: String,
            requestStatus: String,
            updatedAt: String,
            order: OrderRef,
            destination: Destination?,
            lineItems: Connection<LineItem>
        ) {
            self.id = id
            self.status = status
            self.requestStatus = requestStatus
            self.updatedAt = updatedAt
            self.order = order
            self.destination = destination
            self.lineItems = lineItems
        }
    }

    /// `data` of ``ShopifyOperation/assignedFulfillmentOrders``.
    public struct AssignedFulfillmentOrders: Codable, Sendable, Hashable {
        public var assignedFulfillmentOrders: Connection<FulfillmentOrder>
        public init(_ connection: Connection<FulfillmentOrder>) { assignedFulfillmentOrders = connection }
    }

    public struct TrackingInfo: Codable, Sendable, Hashable {
        public var company: String?
        public var number: String?
        public var url: String?
        public init(company: String?, number: String?, url: String? = nil) {
            self.company = company
            self.number = number
            self.url = url
        }
    }

    public struct Fulfillment: Codable, Sendable, Hashable {
        public var id: String
        /// `SUCCESS`, `CANCELLED`, `ERROR`, `FAILURE`.
        public var status: String
        public var trackingInfo: [TrackingInfo]
        public init(id: String, status: String, trackingInfo: [TrackingInfo]) {
            self.id = id
            self.status = status
            self.trackingInfo = trackingInfo
        }
    }

    public struct UserError: Codable, Sendable, Hashable {
        public var field: [String]?
        public var message: String
        public init(field: [String]?, message: String) {
            self.field = field
            self.message = message
        }
    }

    /// `data` of ``ShopifyOperation/fulfillmentOrderFulfillments``: what was fulfilled already.
    public struct FulfillmentOrderFulfillments: Codable, Sendable, Hashable {
        public struct Node: Codable, Sendable, Hashable {
            public var id: String
            public var status: String
            public var fulfillments: Connection<Fulfillment>
            public init(id: String, status: String, fulfillments: Connection<Fulfillment>) {
                self.id = id
                self.status = status
                self.fulfillments = fulfillments
            }
        }
        public var fulfillmentOrder: Node?
        public init(fulfillmentOrder: Node?) { self.fulfillmentOrder = fulfillmentOrder }
    }

    /// `data` of ``ShopifyOperation/fulfillmentOrderLineItems``: more line items of one fulfillment order.
    public struct FulfillmentOrderLineItems: Codable, Sendable, Hashable {
        public struct Node: Codable, Sendable, Hashable {
            public var id: String
            public var lineItems: Connection<LineItem>
            public init(id: String, lineItems: Connection<LineItem>) {
                self.id = id
                self.lineItems = lineItems
            }
        }
        public var fulfillmentOrder: Node?
        public init(fulfillmentOrder: Node?) { self.fulfillmentOrder = fulfillmentOrder }
    }

    /// `data` of ``ShopifyOperation/fulfillmentCreate``.
    public struct FulfillmentCreateData: Codable, Sendable, Hashable {
        public struct Payload: Codable, Sendable, Hashable {
            public var fulfillment: Fulfillment?
            public var userErrors: [UserError]
            public init(fulfillment: Fulfillment?, userErrors: [UserError]) {
                self.fulfillment = fulfillment
                self.userErrors = userErrors
            }
        }
        public var fulfillmentCreate: Payload?
        public init(fulfillmentCreate: Payload?) { self.fulfillmentCreate = fulfillmentCreate }
    }

    /// The fulfillment order a request mutation answers with.
    public struct FulfillmentOrderState: Codable, Sendable, Hashable {
        public var id: String
        public var status: String
        public var requestStatus: String
        public init(id: String, status: String, requestStatus: String) {
            self.id = id
            self.status = status
            self.requestStatus = requestStatus
        }
    }

    /// The payload of the accept mutations: the fulfillment order afterwards, and user errors.
    public struct RequestPayload: Codable, Sendable, Hashable {
        public var fulfillmentOrder: FulfillmentOrderState?
        public var userErrors: [UserError]
        public init(fulfillmentOrder: FulfillmentOrderState?, userErrors: [UserError]) {
            self.fulfillmentOrder = fulfillmentOrder
            self.userErrors = userErrors
        }
    }

    /// `data` of ``ShopifyOperation/acceptFulfillmentRequest``.
    public struct AcceptFulfillmentRequestData: Codable, Sendable, Hashable {
        public var fulfillmentOrderAcceptFulfillmentRequest: RequestPayload?
        public init(_ payload: RequestPayload?) { fulfillmentOrderAcceptFulfillmentRequest = payload }
    }

    /// `data` of ``ShopifyOperation/acceptCancellationRequest``.
    public struct AcceptCancellationRequestData: Codable, Sendable, Hashable {
        public var fulfillmentOrderAcceptCancellationRequest: RequestPayload?
        public init(_ payload: RequestPayload?) { fulfillmentOrderAcceptCancellationRequest = payload }
    }

    // MARK: Variables

    public struct PageVariables: Codable, Sendable, Hashable {
        public var first: Int
        public var after: String?
        public var locationIds: [String]
        public init(first: Int, after: String?, locationIds: [String]) {
            self.first = first
            self.after = after
            self.locationIds = locationIds
        }
    }

    public struct IDVariables: Codable, Sendable, Hashable {
        public var id: String
        public var after: String?
        public init(id: String, after: String? = nil) {
            self.id = id
            self.after = after
        }
    }

    public struct FulfillmentInput: Codable, Sendable, Hashable {
        public struct LineItems: Codable, Sendable, Hashable {
            public var fulfillmentOrderId: String
            public init(fulfillmentOrderId: String) { self.fulfillmentOrderId = fulfillmentOrderId }
        }
        public struct Tracking: Codable, Sendable, Hashable {
            public var company: String
            public var numbers: [String]
            public init(company: String, numbers: [String]) {
                self.company = company
                self.numbers = numbers
            }
        }
        /// Every line item of each fulfillment order (the documented default without `fulfillmentOrderLineItems`).
        public var lineItemsByFulfillmentOrder: [LineItems]
        public var trackingInfo: Tracking
        public var notifyCustomer: Bool
        public init(lineItemsByFulfillmentOrder: [LineItems], trackingInfo: Tracking, notifyCustomer: Bool) {
            self.lineItemsByFulfillmentOrder = lineItemsByFulfillmentOrder
            self.trackingInfo = trackingInfo
            self.notifyCustomer = notifyCustomer
        }
    }

    public struct FulfillmentVariables: Codable, Sendable, Hashable {
        public var fulfillment: FulfillmentInput
        public init(fulfillment: FulfillmentInput) { self.fulfillment = fulfillment }
    }
}

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
