/// The `data` of each entity in the changes feed. Units: inches, pounds, dollars.
extension CentralAPI {
    /// Entity type names of the changes feed.
    public enum Entity: String, Codable, Sendable, Hashable, CaseIterable {
        case order, sku, stock, box
        case rateTable = "rate_table"
        case rules, label
    }

    /// A shipping address. All text is customer-supplied: never trust it in a printer language.
    public struct Address: Codable, Sendable, Hashable {
        public var name: String
        public var company: String?
        public var street1: String
        public var street2: String?
        public var city: String
        public var region: String
        public var postalCode: String
        public var country: String
        public var phone: String?

        public init(
            name: String,
            company: String? = nil,
            street1: String,
            street2: String? = nil,
            city: String,
            region: String,
            postalCode: String,
            country: String,
            phone: String? = nil
        ) {
            self.name = name
            self.company = company
            self.street1 = street1
            self.street2 = street2
            self.city = city
            self.region = region
            self.postalCode = postalCode
            self.country = country
            self.phone = phone
        }

        enum CodingKeys: String, CodingKey {
            case name, company, street1, street2, city, region
            case postalCode = "postal_code"
            case country, phone
        }
    }

    /// One line of an order.
    public struct Line: Codable, Sendable, Hashable {
        public var lineNo: Int
        public var sku: String
        public var quantity: Int

        public init(lineNo: Int, sku: String, quantity: Int) {
            self.lineNo = lineNo
            self.sku = sku
            self.quantity = quantity
        }

        enum CodingKeys: String, CodingKey {
            case lineNo = "line_no"
            case sku, quantity
        }
    }

    /// An order as the central API holds it.
    public struct OrderData: Codable, Sendable, Hashable {
        public var id: String
        /// An ``OrderState`` raw value; text so a newer central state is quarantined, not fatal.
        public var state: String
        /// The station the order is assigned to.
        public var stationID: String?
        /// The station that claimed it, once claimed.
        public var claimedBy: String?
        public var warehouse: String
        /// The customer-facing order reference, such as `#100123`.
        public var reference: String
        public var serviceLevel: String
        public var residential: Bool
        public var shipTo: Address
        public var lines: [Line]
        /// Carrier zone (2-8) of a shipment from each warehouse location to this address.
        public var zones: [String: Int]
        /// The entity version of the last central edit of address or lines.
        public var contentVersion: Int

        public init(
            id: String,
            state: String,
            stationID: String?,
            claimedBy: String?,
            warehouse: String,
            reference: String,
            serviceLevel: String,
            residential: Bool,
            shipTo: Address,
            lines: [Line],
            zones: [String: Int],
            contentVersion: Int
        ) {
            self.id = id
            self.state = state
            self.stationID = stationID
            self.claimedBy = claimedBy
            self.warehouse = warehouse
            self.reference = reference
            self.serviceLevel = serviceLevel
            self.residential = residential
            self.shipTo = shipTo
            self.lines = lines
            self.zones = zones
            self.contentVersion = contentVersion
        }

        enum CodingKeys: String, CodingKey {
            case id, state
            case stationID = "station_id"
            case claimedBy = "claimed_by"
            case warehouse, reference
            case serviceLevel = "service_level"
            case residential
            case shipTo = "ship_to"
            case lines, zones
            case contentVersion = "content_version"
        }
    }

    /// A stock-keeping unit with what packing needs to know of it.
    public struct SKUData: Codable, Sendable, Hashable {
        public var id: String
        public var name: String
        /// Length, width, height in inches; height is "up" for keep-upright items.
        public var dims: [Double]
        public var weightLb: Double
        /// Warehouse location (zone) the SKU is picked from: A, B or C.
        public var location: String
        /// Hazmat: travels alone in its box.
        public var shipAlone: Bool
        public var keepUpright: Bool
        /// Mix class (`general`, `food`, `chem`, ...); see ``RulesData``.
        public var mixClass: String
        /// The barcodes a packer may scan for the SKU: its unit GTIN and any case barcodes, each with
        /// the units one scan counts. Absent from older feeds: then empty.
        public var barcodes: [SKUBarcode]

        public init(
            id: String,
            name: String,
            dims: [Double],
            weightLb: Double,
            location: String,
            shipAlone: Bool,
            keepUpright: Bool,
            mixClass: String,
            barcodes: [SKUBarcode] = []
        ) {
            self.id = id
            self.name = name
            self.dims = dims
            self.weightLb = weightLb
            self.location = location
            self.shipAlone = shipAlone
            self.keepUpright = keepUpright
            self.mixClass = mixClass
            self.barcodes = barcodes
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            name = try container.decode(String.self, forKey: .name)
            dims = try container.decode([Double].self, forKey: .dims)
            weightLb = try container.decode(Double.self, forKey: .weightLb)
            location = try container.decode(String.self, forKey: .location)
            shipAlone = try container.decode(Bool.self, forKey: .shipAlone)
            keepUpright = try container.decode(Bool.self, forKey: .keepUpright)
            mixClass = try container.decode(String.self, forKey: .mixClass)
            barcodes = try container.decodeIfPresent([SKUBarcode].self, forKey: .barcodes) ?? []
        }

        enum CodingKeys: String, CodingKey {
            case id, name, dims
            case weightLb = "weight_lb"
            case location
            case shipAlone = "ship_alone"
            case keepUpright = "keep_upright"
            case mixClass = "mix_class"
            case barcodes
        }
    }

    /// A barcode printed on a SKU's unit or case: a GTIN (GTIN-8, UPC-A, EAN-13 or GTIN-14 with a
    /// valid check digit) and the units one scan of it counts (1 for a unit, N for a case of N).
    public struct SKUBarcode: Codable, Sendable, Hashable {
        public var code: String
        public var units: Int

        public init(code: String, units: Int = 1) {
            self.code = code
            self.units = units
        }
    }

    /// On-hand quantity of a SKU at a location. Stations change it by deltas only.
    public struct StockData: Codable, Sendable, Hashable {
        public var sku: String
        public var location: String
        public var quantity: Int

        public init(sku: String, location: String, quantity: Int) {
            self.sku = sku
            self.location = location
            self.quantity = quantity
        }
    }

    /// A shipping box of the catalog (the packing-bench box schema).
    public struct BoxData: Codable, Sendable, Hashable {
        public var id: String
        public var inner: [Double]
        public var outer: [Double]
        public var tareLb: Double
        public var maxGrossLb: Double
        public var materialCost: Double

        public init(id: String, inner: [Double], outer: [Double], tareLb: Double, maxGrossLb: Double, materialCost: Double) {
            self.id = id
            self.inner = inner
            self.outer = outer
            self.tareLb = tareLb
            self.maxGrossLb = maxGrossLb
            self.materialCost = materialCost
        }

        enum CodingKeys: String, CodingKey {
            case id, inner, outer
            case tareLb = "tare_lb"
            case maxGrossLb = "max_gross_lb"
            case materialCost = "material_cost"
        }
    }

    /// Packing rules that are not properties of one SKU.
    public struct RulesData: Codable, Sendable, Hashable {
        /// Pairs of mix classes that never share a box.
        public var incompatibleClasses: [[String]]

        public init(incompatibleClasses: [[String]]) {
            self.incompatibleClasses = incompatibleClasses
        }

        enum CodingKeys: String, CodingKey {
            case incompatibleClasses = "incompatible_classes"
        }
    }

    /// A carrier label bought for one box of an order (ahead of time, or through `POST /v1/labels`).
    public struct LabelData: Codable, Sendable, Hashable {
        public var labelID: String
        public var orderID: String
        public var boxNo: Int
        public var carrier: String
        public var service: String
        public var trackingNumber: String
        public var cost: Double
        /// `zpl` or `pdf`.
        public var format: String
        /// The ZPL program, for `zpl`.
        public var zpl: String?
        /// The PDF bytes, base64, for `pdf`.
        public var pdfBase64: String?

        public init(
            labelID: String,
            orderID: String,
            boxNo: Int,
            carrier: String,
            service: String,
            trackingNumber: String,
            cost: Double,
            format: String,
            zpl: String? = nil,
            pdfBase64: String? = nil
        ) {
            self.labelID = labelID
            self.orderID = orderID
            self.boxNo = boxNo
            self.carrier = carrier
            self.service = service
            self.trackingNumber = trackingNumber
            self.cost = cost
            self.format = format
            self.zpl = zpl
            self.pdfBase64 = pdfBase64
        }

        enum CodingKeys: String, CodingKey {
            case labelID = "label_id"
            case orderID = "order_id"
            case boxNo = "box_no"
            case carrier, service
            case trackingNumber = "tracking_number"
            case cost, format, zpl
            case pdfBase64 = "pdf_base64"
        }
    }

    /// `POST /v1/labels` request body: buy a carrier label for one box.
    public struct LabelPurchase: Codable, Sendable, Hashable {
        public var orderID: String
        public var boxNo: Int
        public var boxCount: Int
        /// Outer dimensions in inches.
        public var dims: [Double]
        public var weightLb: Double
        public var fromLocation: String
        /// A service code, or `cheapest`.
        public var serviceLevel: String
        /// `zpl` (the default) or `pdf`.
        public var format: String?

        public init(
            orderID: String,
            boxNo: Int,
            boxCount: Int,
            dims: [Double],
            weightLb: Double,
            fromLocation: String,
            serviceLevel: String,
            format: String? = nil
        ) {
            self.orderID = orderID
            self.boxNo = boxNo
            self.boxCount = boxCount
            self.dims = dims
            self.weightLb = weightLb
            self.fromLocation = fromLocation
            self.serviceLevel = serviceLevel
            self.format = format
        }

        enum CodingKeys: String, CodingKey {
            case orderID = "order_id"
            case boxNo = "box_no"
            case boxCount = "box_count"
            case dims
            case weightLb = "weight_lb"
            case fromLocation = "from_location"
            case serviceLevel = "service_level"
            case format
        }
    }

    /// `POST /v1/rates` request body: quotes for one parcel, nothing bought.
    public struct RateRequest: Codable, Sendable, Hashable {
        public var dims: [Double]
        public var weightLb: Double
        public var zone: Int
        public var residential: Bool

        public init(dims: [Double], weightLb: Double, zone: Int, residential: Bool) {
            self.dims = dims
            self.weightLb = weightLb
            self.zone = zone
            self.residential = residential
        }

        enum CodingKeys: String, CodingKey {
            case dims
            case weightLb = "weight_lb"
            case zone, residential
        }
    }

    /// `POST /v1/rates` response body.
    public struct RateResponse: Codable, Sendable, Hashable {
        public var quotes: [RateQuote]

        public init(quotes: [RateQuote]) {
            self.quotes = quotes
        }
    }
}
