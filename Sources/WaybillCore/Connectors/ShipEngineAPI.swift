/// The slice of the ShipEngine (ShipStation API) v1 label surface a station uses, as its reference
/// documents it: `POST /v1/labels` with the shipment inline, `GET /v1/labels/external_shipment_id/{id}`,
/// `PUT /v1/labels/{label_id}/void`, and the `errors[]` body every failure carries.
///
/// The station's connector and the emulator in `waybill-hub` both encode and decode through these
/// types; contract tests decode the documentation's own examples with them.
public enum ShipEngineAPI {
    /// `{"value": 2.5, "unit": "pound"}`.
    public struct Weight: Codable, Sendable, Hashable {
        public var value: Double
        public var unit: String

        public init(value: Double, unit: String = "pound") {
            self.value = value
            self.unit = unit
        }
    }

    /// A package's outer dimensions, in inches.
    public struct Dimensions: Codable, Sendable, Hashable {
        public var unit: String
        public var length: Double
        public var width: Double
        public var height: Double

        public init(unit: String = "inch", length: Double, width: Double, height: Double) {
            self.unit = unit
            self.length = length
            self.width = width
            self.height = height
        }
    }

    /// One package (one of our boxes).
    public struct Package: Codable, Sendable, Hashable {
        public var weight: Weight
        public var dimensions: Dimensions?

        public init(weight: Weight, dimensions: Dimensions?) {
            self.weight = weight
            self.dimensions = dimensions
        }
    }

    /// A postal address as ShipEngine spells it.
    public struct Address: Codable, Sendable, Hashable {
        public var name: String
        public var phone: String?
        public var companyName: String?
        public var addressLine1: String
        public var addressLine2: String?
        public var cityLocality: String
        public var stateProvince: String
        public var postalCode: String
        public var countryCode: String
        /// `yes`, `no` or `unknown`.
        public var addressResidentialIndicator: String?

        public init(
            name: String,
            phone: String?,
            companyName: String?,
            addressLine1: String,
            addressLine2: String?,
            cityLocality: String,
            stateProvince: String,
            postalCode: String,
            countryCode: String,
            addressResidentialIndicator: String?
        ) {
            self.name = name
            self.phone = phone
            self.companyName = companyName
            self.addressLine1 = addressLine1
            self.addressLine2 = addressLine2
            self.cityLocality = cityLocality
            self.stateProvince = stateProvince
            self.postalCode = postalCode
            self.countryCode = countryCode
            self.addressResidentialIndicator = addressResidentialIndicator
        }

        enum CodingKeys: String, CodingKey {
            case name, phone
            case companyName = "company_name"
            case addressLine1 = "address_line1"
            case addressLine2 = "address_line2"
            case cityLocality = "city_locality"
            case stateProvince = "state_province"
            case postalCode = "postal_code"
            case countryCode = "country_code"
            case addressResidentialIndicator = "address_residential_indicator"
        }
    }

    /// The shipment of a label bought with the shipment inline. The sender is the account's
    /// warehouse (`warehouse_id`) or an inline `ship_from`.
    public struct Shipment: Codable, Sendable, Hashable {
        /// The carrier account (the account's default when absent).
        public var carrierID: String?
        public var serviceCode: String
        /// Our key for the box: a lost answer is looked up by it before anything is bought again (and
        /// bought again only a minute after the unanswered request).
        public var externalShipmentID: String?
        public var shipTo: Address
        public var warehouseID: String?
        public var shipFrom: Address?
        public var packages: [Package]

        public init(
            carrierID: String?,
            serviceCode: String,
            externalShipmentID: String?,
            shipTo: Address,
            warehouseID: String?,
            shipFrom: Address? = nil,
            packages: [Package]
        ) {
            self.carrierID = carrierID
            self.serviceCode = serviceCode
            self.externalShipmentID = externalShipmentID
            self.shipTo = shipTo
            self.warehouseID = warehouseID
            self.shipFrom = shipFrom
            self.packages = packages
        }

        enum CodingKeys: String, CodingKey {
            case carrierID = "carrier_id"
            case serviceCode = "service_code"
            case externalShipmentID = "external_shipment_id"
            case shipTo = "ship_to"
            case warehouseID = "warehouse_id"
            case shipFrom = "ship_from"
            case packages
        }
    }

    /// The body of `POST /v1/labels`.
    public struct LabelRequest: Codable, Sendable, Hashable {
        public var shipment: Shipment
        /// `zpl`, `pdf` or `png`.
        public var labelFormat: String
        /// `4x6` or `letter`.
        public var labelLayout: String
        /// `url` (the document is fetched from `label_download.href`) or `inline`.
        public var labelDownloadType: String

        public init(shipment: Shipment, labelFormat: String = "zpl", labelLayout: String = "4x6", labelDownloadType: String = "url") {
            self.shipment = shipment
            self.labelFormat = labelFormat
            self.labelLayout = labelLayout
            self.labelDownloadType = labelDownloadType
        }

        enum CodingKeys: String, CodingKey {
            case shipment
            case labelFormat = "label_format"
            case labelLayout = "label_layout"
            case labelDownloadType = "label_download_type"
        }
    }

    /// `{"currency": "usd", "amount": 9.37}`.
    public struct MonetaryValue: Codable, Sendable, Hashable {
        public var currency: String
        public var amount: Double

        public init(currency: String = "usd", amount: Double) {
            self.currency = currency
            self.amount = amount
        }
    }

    /// Where a label's document can be downloaded.
    public struct LabelDownload: Codable, Sendable, Hashable {
        public var href: String?
        public var pdf: String?
        public var png: String?
        public var zpl: String?

        public init(href: String?, pdf: String? = nil, png: String? = nil, zpl: String? = nil) {
            self.href = href
            self.pdf = pdf
            self.png = png
            self.zpl = zpl
        }
    }

    /// A label as ShipEngine answers it (the fields a station reads; the others are ignored).
    public struct Label: Codable, Sendable, Hashable {
        public var labelID: String
        /// `processing`, `completed`, `error` or `voided`.
        public var status: String
        public var shipmentID: String?
        public var externalShipmentID: String?
        public var shipmentCost: MonetaryValue
        public var trackingNumber: String
        public var carrierID: String?
        public var carrierCode: String?
        public var serviceCode: String?
        public var labelFormat: String?
        public var labelLayout: String?
        public var voided: Bool
        public var labelDownload: LabelDownload

        public init(
            labelID: String,
            status: String,
            shipmentID: String?,
            externalShipmentID: String?,
            shipmentCost: MonetaryValue,
            trackingNumber: String,
            carrierID: String?,
            carrierCode: String?,
            serviceCode: String?,
            labelFormat: String?,
            labelLayout: String?,
            voided: Bool,
            labelDownload: LabelDownload
        ) {
            self.labelID = labelID
            self.status = status
            self.shipmentID = shipmentID
            self.externalShipmentID = externalShipmentID
            self.shipmentCost = shipmentCost
            self.trackingNumber = trackingNumber
            self.carrierID = carrierID
            self.carrierCode = carrierCode
            self.serviceCode = serviceCode
            self.labelFormat = labelFormat
            self.labelLayout = labelLayout
            self.voided = voided
            self.labelDownload = labelDownload
        }

        enum CodingKeys: String, CodingKey {
            case labelID = "label_id"
            case status
            case shipmentID = "shipment_id"
            case externalShipmentID = "external_shipment_id"
            case shipmentCost = "shipment_cost"
            case trackingNumber = "tracking_number"
            case carrierID = "carrier_id"
            case carrierCode = "carrier_code"
            case serviceCode = "service_code"
            case labelFormat = "label_format"
            case labelLayout = "label_layout"
            case voided
            case labelDownload = "label_download"
        }
    }

    /// The answer of `PUT /v1/labels/{label_id}/void`: a refused void is a 200 with `approved: false`.
    public struct VoidResult: Codable, Sendable, Hashable {
        public var approved: Bool
        public var message: String
        /// Why a void was not approved, when the provider says (`label_not_found_within_void_period`).
        public var reasonCode: String?

        public init(approved: Bool, message: String, reasonCode: String? = nil) {
            self.approved = approved
            self.message = message
            self.reasonCode = reasonCode
        }

        enum CodingKeys: String, CodingKey {
            case approved, message
            case reasonCode = "reason_code"
        }
    }

    /// One entry of an error body's `errors`.
    public struct ErrorDetail: Codable, Sendable, Hashable {
        /// `shipengine`, `carrier` or `order_source`: who to ask about it.
        public var errorSource: String
        /// `account_status`, `business_rules`, `validation`, `security`, `system` or `integrations`.
        public var errorType: String
        public var errorCode: String
        public var message: String

        public init(errorSource: String, errorType: String, errorCode: String, message: String) {
            self.errorSource = errorSource
            self.errorType = errorType
            self.errorCode = errorCode
            self.message = message
        }

        enum CodingKeys: String, CodingKey {
            case errorSource = "error_source"
            case errorType = "error_type"
            case errorCode = "error_code"
            case message
        }
    }

    /// Every failure's body.
    public struct ErrorBody: Codable, Sendable, Hashable {
        public var requestID: String
        public var errors: [ErrorDetail]

        public init(requestID: String, errors: [ErrorDetail]) {
            self.requestID = requestID
            self.errors = errors
        }

        enum CodingKeys: String, CodingKey {
            case requestID = "request_id"
            case errors
        }
    }
}
