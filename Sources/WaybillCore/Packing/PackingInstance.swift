/// An order to split into boxes, in the packing-bench instance schema (`binpack-lab/instance/v1`).
/// Lengths are inches (`[L, W, H]`, H is up), weights pounds, money dollars.
public struct PackingInstance: Codable, Sendable, Hashable {
    /// One shipping box of the catalog: the same box the central API's feed carries.
    public typealias Box = CentralAPI.BoxData

    /// One unit to pack.
    public struct Item: Codable, Sendable, Hashable {
        public var id: String
        public var sku: String
        public var dims: [Double]
        public var weightLb: Double
        /// Warehouse location: units from different locations never share a box.
        public var location: String
        /// Hazmat: alone in its box.
        public var shipAlone: Bool
        /// Its H must stay vertical.
        public var keepUpright: Bool
        public var mixClass: String

        public init(
            id: String,
            sku: String,
            dims: [Double],
            weightLb: Double,
            location: String,
            shipAlone: Bool,
            keepUpright: Bool,
            mixClass: String
        ) {
            self.id = id
            self.sku = sku
            self.dims = dims
            self.weightLb = weightLb
            self.location = location
            self.shipAlone = shipAlone
            self.keepUpright = keepUpright
            self.mixClass = mixClass
        }

        enum CodingKeys: String, CodingKey {
            case id, sku, dims
            case weightLb = "weight_lb"
            case location
            case shipAlone = "ship_alone"
            case keepUpright = "keep_upright"
            case mixClass = "mix_class"
        }
    }

    public var id: String
    public var residential: Bool
    /// Carrier zone of a shipment leaving from each location.
    public var zoneByLocation: [String: Int]
    /// Pairs of mix classes that never share a box.
    public var incompatibleClasses: [[String]]
    public var boxes: [Box]
    public var items: [Item]

    public init(
        id: String,
        residential: Bool,
        zoneByLocation: [String: Int],
        incompatibleClasses: [[String]],
        boxes: [Box],
        items: [Item]
    ) {
        self.id = id
        self.residential = residential
        self.zoneByLocation = zoneByLocation
        self.incompatibleClasses = incompatibleClasses
        self.boxes = boxes
        self.items = items
    }

    enum CodingKeys: String, CodingKey {
        case id, residential
        case zoneByLocation = "zone_by_location"
        case incompatibleClasses = "incompatible_classes"
        case boxes, items
    }

    /// Whether two items' classes are an incompatible pair.
    public func incompatible(_ a: Item, _ b: Item) -> Bool {
        incompatibleClasses.contains { Set($0) == Set([a.mixClass, b.mixClass]) && a.mixClass != b.mixClass }
    }

    /// Whether these items may share one box, ignoring geometry and weight.
    public func canShare(_ items: [Item]) -> Bool {
        guard items.count > 1 else { return true }
        if items.contains(where: \.shipAlone) { return false }
        if Set(items.map(\.location)).count > 1 { return false }
        for (index, item) in items.enumerated() {
            for other in items[(index + 1)...] where incompatible(item, other) { return false }
        }
        return true
    }
}

/// A plan for an instance: boxes with each item's position and rotated extent (the packing-bench
/// solution schema). `pos` is the item's corner in the box frame (x along inner[0], y along inner[1], z up).
public struct PackingSolution: Codable, Sendable, Hashable {
    public struct Placement: Codable, Sendable, Hashable {
        public var id: String
        public var pos: [Double]
        public var dims: [Double]

        public init(id: String, pos: [Double], dims: [Double]) {
            self.id = id
            self.pos = pos
            self.dims = dims
        }
    }

    public struct PackedBox: Codable, Sendable, Hashable {
        public var boxID: String
        public var items: [Placement]

        public init(boxID: String, items: [Placement]) {
            self.boxID = boxID
            self.items = items
        }

        enum CodingKeys: String, CodingKey {
            case boxID = "box_id"
            case items
        }
    }

    public var boxes: [PackedBox]
    public var unpacked: [String]

    public init(boxes: [PackedBox], unpacked: [String] = []) {
        self.boxes = boxes
        self.unpacked = unpacked
    }
}
