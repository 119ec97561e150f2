/// Checks a plan against every rule and prices it: the project's own checker, independent of the
/// planner (the same rules as packing-bench's `check`).
public enum PlanChecker {
    static let epsilon = 1e-6

    /// Every rule the plan breaks, as readable lines; empty for a valid plan.
    public static func violations(of solution: PackingSolution, for instance: PackingInstance) -> [String] {
        var errors: [String] = []
        let items = Dictionary(uniqueKeysWithValues: instance.items.map { ($0.id, $0) })
        let boxes = Dictionary(uniqueKeysWithValues: instance.boxes.map { ($0.id, $0) })
        var seen: [String: Int] = [:]
        for (index, packed) in solution.boxes.enumerated() {
            guard let box = boxes[packed.boxID] else {
                errors.append("box#\(index): unknown box \(packed.boxID)")
                continue
            }
            var placed: [PackingSolution.Placement] = []
            for placement in packed.items {
                guard let item = items[placement.id] else {
                    errors.append("box#\(index): unknown item \(placement.id)")
                    continue
                }
                seen[placement.id, default: 0] += 1
                if placement.dims.count != 3 || placement.pos.count != 3
                    || placement.dims.map(rounded).sorted() != item.dims.map(rounded).sorted()
                {
                    errors.append("box#\(index): \(item.id) placed as \(placement.dims), not a rotation of \(item.dims)")
                    continue
                }
                if item.keepUpright, abs(placement.dims[2] - item.dims[2]) > 1e-4 {
                    errors.append("box#\(index): \(item.id) must stay upright")
                }
                for axis in 0..<3 where placement.pos[axis] < -epsilon || placement.pos[axis] + placement.dims[axis] > box.inner[axis] + epsilon {
                    errors.append("box#\(index): \(item.id) is outside the box on axis \(axis)")
                }
                for other in placed where overlap(placement, other) {
                    errors.append("box#\(index): \(item.id) overlaps \(other.id)")
                }
                placed.append(placement)
            }
            let contents = packed.items.compactMap { items[$0.id] }
            let gross = contents.reduce(0) { $0 + $1.weightLb } + box.tareLb  // summed as packing-bench sums it
            if gross > box.maxGrossLb + epsilon {
                errors.append("box#\(index): gross \(gross) lb is over the box's \(box.maxGrossLb) lb")
            }
            if !instance.canShare(contents) {
                errors.append("box#\(index): location, ship-alone or mix-class rule broken")
            }
        }
        for item in instance.items {
            let count = seen[item.id] ?? 0
            if count == 0, !solution.unpacked.contains(item.id) { errors.append("\(item.id) is missing") }
            if count > 1 { errors.append("\(item.id) is packed \(count) times") }
        }
        return errors
    }

    /// The plan's total cost: each box's cheapest quote for its outer dimensions and gross weight to the
    /// zone of its location, plus its material. Nil when some box cannot be shipped or the plan is unknown.
    public static func cost(of solution: PackingSolution, for instance: PackingInstance, rates: RateModel) -> Double? {
        let items = Dictionary(uniqueKeysWithValues: instance.items.map { ($0.id, $0) })
        let boxes = Dictionary(uniqueKeysWithValues: instance.boxes.map { ($0.id, $0) })
        var total = 0.0
        for packed in solution.boxes {
            guard let box = boxes[packed.boxID] else { return nil }
            let contents = packed.items.compactMap { items[$0.id] }
            guard let location = contents.first?.location, let zone = instance.zoneByLocation[location] else { continue }
            let gross = contents.reduce(0) { $0 + $1.weightLb } + box.tareLb  // summed as packing-bench sums it
            guard gross <= box.maxGrossLb + epsilon,
                let quote = rates.best(outerDims: box.outer, grossLb: gross, zone: zone, residential: instance.residential)
            else { return nil }
            total += Money.cents(quote.total + box.materialCost)
        }
        return Money.cents(total)
    }

    private static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

    private static func overlap(_ a: PackingSolution.Placement, _ b: PackingSolution.Placement) -> Bool {
        (0..<3).allSatisfy { a.pos[$0] < b.pos[$0] + b.dims[$0] - epsilon && b.pos[$0] < a.pos[$0] + a.dims[$0] - epsilon }
    }
}
