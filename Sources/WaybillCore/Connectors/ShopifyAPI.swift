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
}
