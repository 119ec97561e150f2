extension ShopifyAPI {
    // The variables of the station's operations (``ShopifyOperation``).

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
