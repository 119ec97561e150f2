/// The rates slice of the ShipEngine v1 surface: `POST /v1/rates` with the shipment inline, which
/// prices one parcel with every service of the carriers asked.
extension ShipEngineAPI {
    /// Which carriers (and, optionally, which of their services) to price.
    public struct RateOptions: Codable, Sendable, Hashable {
        /// Required by the API: the carrier accounts to ask.
        public var carrierIDs: [String]
        /// Only these services, when set.
        public var serviceCodes: [String]?

        public init(carrierIDs: [String], serviceCodes: [String]? = nil) {
            self.carrierIDs = carrierIDs
            self.serviceCodes = serviceCodes
        }

        enum CodingKeys: String, CodingKey {
            case carrierIDs = "carrier_ids"
            case serviceCodes = "service_codes"
        }
    }

    /// The shipment of a rate request: where it goes, where from, and its packages; no service yet.
    public struct RateShipment: Codable, Sendable, Hashable {
        public var shipTo: Address
        public var warehouseID: String?
        public var shipFrom: Address?
        public var packages: [Package]

        public init(shipTo: Address, warehouseID: String?, shipFrom: Address? = nil, packages: [Package]) {
            self.shipTo = shipTo
            self.warehouseID = warehouseID
            self.shipFrom = shipFrom
            self.packages = packages
        }

        enum CodingKeys: String, CodingKey {
            case shipTo = "ship_to"
            case warehouseID = "warehouse_id"
            case shipFrom = "ship_from"
            case packages
        }
    }

    /// The body of `POST /v1/rates`.
    public struct RateRequest: Codable, Sendable, Hashable {
        public var rateOptions: RateOptions
        public var shipment: RateShipment

        public init(rateOptions: RateOptions, shipment: RateShipment) {
            self.rateOptions = rateOptions
            self.shipment = shipment
        }

        enum CodingKeys: String, CodingKey {
            case rateOptions = "rate_options"
            case shipment
        }
    }

    /// One service's price for the parcel (the fields a station reads; the others are ignored).
    public struct Rate: Codable, Sendable, Hashable {
        public var rateID: String?
        public var carrierID: String
        public var serviceCode: String
        public var shippingAmount: MonetaryValue
        public var insuranceAmount: MonetaryValue?
        public var confirmationAmount: MonetaryValue?
        public var otherAmount: MonetaryValue?
        public var deliveryDays: Int?
        public var errorMessages: [String]?

        public init(
            rateID: String?,
            carrierID: String,
            serviceCode: String,
            shippingAmount: MonetaryValue,
            insuranceAmount: MonetaryValue? = nil,
            confirmationAmount: MonetaryValue? = nil,
            otherAmount: MonetaryValue? = nil,
            deliveryDays: Int? = nil,
            errorMessages: [String]? = nil
        ) {
            self.rateID = rateID
            self.carrierID = carrierID
            self.serviceCode = serviceCode
            self.shippingAmount = shippingAmount
            self.insuranceAmount = insuranceAmount
            self.confirmationAmount = confirmationAmount
            self.otherAmount = otherAmount
            self.deliveryDays = deliveryDays
            self.errorMessages = errorMessages
        }

        /// What the label would cost: the reference adds the shipping, insurance, confirmation and
        /// other amounts to make the purchase price.
        public var total: Double {
            shippingAmount.amount + (insuranceAmount?.amount ?? 0) + (confirmationAmount?.amount ?? 0) + (otherAmount?.amount ?? 0)
        }

        enum CodingKeys: String, CodingKey {
            case rateID = "rate_id"
            case carrierID = "carrier_id"
            case serviceCode = "service_code"
            case shippingAmount = "shipping_amount"
            case insuranceAmount = "insurance_amount"
            case confirmationAmount = "confirmation_amount"
            case otherAmount = "other_amount"
            case deliveryDays = "delivery_days"
            case errorMessages = "error_messages"
        }
    }

    /// The prices found: `rates` can be bought, `invalid_rates` cannot (each says why), and
    /// `errors` holds what went wrong for whole carriers.
    public struct RateList: Codable, Sendable, Hashable {
        public var rates: [Rate]
        public var invalidRates: [Rate]?
        /// `working`, `completed`, `partial` or `error`.
        public var status: String
        public var errors: [ErrorDetail]?

        public init(rates: [Rate], invalidRates: [Rate]? = [], status: String, errors: [ErrorDetail]? = []) {
            self.rates = rates
            self.invalidRates = invalidRates
            self.status = status
            self.errors = errors
        }

        enum CodingKeys: String, CodingKey {
            case rates
            case invalidRates = "invalid_rates"
            case status, errors
        }
    }

    /// The answer of `POST /v1/rates`: the shipment ShipEngine created, with its `rate_response`.
    public struct RateAnswer: Codable, Sendable, Hashable {
        public var shipmentID: String?
        public var rateResponse: RateList

        public init(shipmentID: String?, rateResponse: RateList) {
            self.shipmentID = shipmentID
            self.rateResponse = rateResponse
        }

        enum CodingKeys: String, CodingKey {
            case shipmentID = "shipment_id"
            case rateResponse = "rate_response"
        }
    }
}
