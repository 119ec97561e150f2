/// Why an order of the replica cannot be turned into a packing problem.
public struct PackingInputError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

extension PackingInstance {
    /// The packing problem of a replica order: one item per unit of each line, with its SKU's
    /// dimensions, weight, location and rules, the station's box catalog and the central rules.
    ///
    /// Item ids are `<line_no>-<unit>` (`"2-3"` is the third unit of line 2), so a plan names units
    /// a packer can find on the pick list.
    ///
    /// - Throws: ``PackingInputError`` naming the SKU or order field that is missing or unusable.
    public init(
        order: CentralAPI.OrderData,
        skus: [String: CentralAPI.SKUData],
        boxes: [Box],
        rules: CentralAPI.RulesData?
    ) throws(PackingInputError) {
        guard !order.lines.isEmpty else { throw PackingInputError("order \(order.id) has no lines to pack") }
        guard !boxes.isEmpty else { throw PackingInputError("the replica has no boxes; run `waybill sync` and try again") }
        var items: [Item] = []
        for line in order.lines {
            guard let sku = skus[line.sku] else {
                throw PackingInputError("order \(order.id) line \(line.lineNo): SKU \(line.sku) is not in the replica; run `waybill sync`")
            }
            guard sku.dims.count == 3, sku.dims.allSatisfy({ $0 > 0 && $0.isFinite }), sku.weightLb >= 0 else {
                throw PackingInputError("SKU \(sku.id) has unusable dimensions \(sku.dims) or weight \(sku.weightLb); fix it centrally")
            }
            guard line.quantity > 0 else { throw PackingInputError("order \(order.id) line \(line.lineNo) has quantity \(line.quantity)") }
            for unit in 1...line.quantity {
                items.append(
                    Item(
                        id: "\(line.lineNo)-\(unit)",
                        sku: sku.id,
                        dims: sku.dims,
                        weightLb: sku.weightLb,
                        location: sku.location,
                        shipAlone: sku.shipAlone,
                        keepUpright: sku.keepUpright,
                        mixClass: sku.mixClass
                    )
                )
            }
        }
        for location in Set(items.map(\.location)) where order.zones[location] == nil {
            throw PackingInputError("order \(order.id) has no carrier zone for location \(location); fix the order centrally")
        }
        self.init(
            id: order.id,
            residential: order.residential,
            zoneByLocation: order.zones,
            incompatibleClasses: rules?.incompatibleClasses ?? [],
            boxes: boxes,
            items: items
        )
    }
}
