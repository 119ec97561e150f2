import PropertyBased
import Testing
import WaybillCore

/// The planner on random orders: every plan keeps every rule, and never costs more than shipping each
/// item alone in its cheapest box.
@Suite struct PackingPlannerPropertyTests {
    static let boxes = [
        PackingInstance.Box(id: "S", inner: [8, 6, 4], outer: [8.25, 6.25, 4.25], tareLb: 0.2, maxGrossLb: 30, materialCost: 0.5),
        PackingInstance.Box(id: "M", inner: [12, 9, 6], outer: [12.25, 9.25, 6.25], tareLb: 0.5, maxGrossLb: 40, materialCost: 0.8),
        PackingInstance.Box(id: "L", inner: [18, 14, 12], outer: [18.25, 14.25, 12.25], tareLb: 1.2, maxGrossLb: 65, materialCost: 1.4),
    ]

    /// A random unit: dims on the 0.1 in grid, weight, location, flags and class.
    static let item = zip(
        Gen.int(in: 5...150).array(of: 3),
        Gen.int(in: 5...1500),
        Gen.element(of: ["A", "B"]),
        Gen.int(in: 0...19),
        Gen.bool,
        Gen.element(of: ["general", "food", "chem"])
    ).map { dims, centipounds, location, hazmatRoll, upright, mixClass in
        PackingInstance.Item(
            id: "",
            sku: "",
            dims: dims.map { Double($0) / 10 },
            weightLb: Double(centipounds) / 100,
            location: location ?? "A",
            shipAlone: hazmatRoll == 0,
            keepUpright: upright,
            mixClass: mixClass ?? "general"
        )
    }

    static let order = zip(item.array(of: 1...14), Gen.bool, Gen.int(in: 2...8)).map { items, residential, zone in
        PackingInstance(
            id: "random",
            residential: residential,
            zoneByLocation: ["A": zone, "B": min(8, zone + 1)],
            incompatibleClasses: [["food", "chem"]],
            boxes: boxes,
            items: items.enumerated().map { index, item in
                var item = item
                item.id = "I\(index)"
                item.sku = "SKU\(index % 4)"
                return item
            }
        )
    }

    @Test func everyPlanKeepsTheRules_andNeverCostsMoreThanEachItemAlone() async {
        let rates = PlanCheckerTests.rates
        let planner = PackingPlanner(rates: rates, budget: .milliseconds(20))
        await propertyCheck(count: 60, input: Self.order) { instance in
            let plan = planner.plan(instance)
            #expect(PlanChecker.violations(of: plan, for: instance) == [])
            let alone = PlanCheckerTests.eachAlone(instance)
            #expect(Set(plan.unpacked) == Set(instance.items.map(\.id)).subtracting(alone.boxes.flatMap { $0.items.map(\.id) }))
            if let cost = PlanChecker.cost(of: plan, for: instance, rates: rates),
                let aloneCost = PlanChecker.cost(of: alone, for: instance, rates: rates)
            {
                #expect(cost <= aloneCost + 0.001)
            } else {
                Issue.record("a plan or the each-alone plan could not be priced")
            }
        }
    }
}
