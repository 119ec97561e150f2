/// One box of a stored plan: what goes in it, how it sits, and what it costs.
public struct PlannedBox: Sendable, Hashable, Codable {
    public var boxNo: Int
    public var boxID: String
    /// The box's outer dimensions (inches), as the carrier measures it.
    public var outerDims: [Double]
    /// The warehouse location its items come from (the shipment leaves from there).
    public var location: String
    public var service: String
    public var zone: Int
    public var grossLb: Double
    public var billableLb: Int
    public var postage: Double
    public var materialCost: Double
    public var items: [PackingSolution.Placement]

    public init(
        boxNo: Int,
        boxID: String,
        outerDims: [Double],
        location: String,
        service: String,
        zone: Int,
        grossLb: Double,
        billableLb: Int,
        postage: Double,
        materialCost: Double,
        items: [PackingSolution.Placement]
    ) {
        self.boxNo = boxNo
        self.boxID = boxID
        self.outerDims = outerDims
        self.location = location
        self.service = service
        self.zone = zone
        self.grossLb = grossLb
        self.billableLb = billableLb
        self.postage = postage
        self.materialCost = materialCost
        self.items = items
    }

    enum CodingKeys: String, CodingKey {
        case boxNo = "box_no"
        case boxID = "box_id"
        case outerDims = "outer_dims"
        case location, service, zone
        case grossLb = "gross_lb"
        case billableLb = "billable_lb"
        case postage
        case materialCost = "material_cost"
        case items
    }
}
