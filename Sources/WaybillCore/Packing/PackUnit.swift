/// One unit of an order as the planner sees it: an instance item with its orientations and the facts the
/// rules look at. Units of one `type` are interchangeable (same SKU facts), so their layouts are shared.
struct PackUnit: Sendable {
    /// Index in the instance's items.
    var item: Int
    var rotations: [Size3]
    var weight: Double
    var volume: Double
    var type: Int
    var location: String
    var zone: Int?
    var shipAlone: Bool
    /// Index of its mix class in the planner's class list.
    var mixClass: Int

    /// The units of an instance, typed by their packing facts.
    static func units(of instance: PackingInstance) -> (units: [PackUnit], classConflicts: [[Bool]]) {
        var classes: [String] = []
        var types: [String: Int] = [:]
        var units: [PackUnit] = []
        for (index, item) in instance.items.enumerated() {
            let size = Size3(item.dims.count == 3 ? item.dims : [0, 0, 0])
            if !classes.contains(item.mixClass) { classes.append(item.mixClass) }
            let key = "\(item.dims)|\(item.weightLb)|\(item.location)|\(item.shipAlone)|\(item.keepUpright)|\(item.mixClass)"
            let type = types[key] ?? types.count
            types[key] = type
            units.append(
                PackUnit(
                    item: index,
                    rotations: size.rotations(keepUpright: item.keepUpright),
                    weight: item.weightLb,
                    volume: size.volume,
                    type: type,
                    location: item.location,
                    zone: instance.zoneByLocation[item.location],
                    shipAlone: item.shipAlone,
                    mixClass: classes.firstIndex(of: item.mixClass) ?? 0
                )
            )
        }
        let conflicts = classes.map { a in
            classes.map { b in a != b && instance.incompatibleClasses.contains { Set($0) == Set([a, b]) } }
        }
        return (units, conflicts)
    }
}
