import Testing
import WaybillCore

/// The planner's business rules and objective on hand-made orders.
@Suite struct PackingRulesTests {
    static let boxes = [
        PackingInstance.Box(id: "S", inner: [6, 6, 6], outer: [6.25, 6.25, 6.25], tareLb: 0.3, maxGrossLb: 30, materialCost: 0.5),
        PackingInstance.Box(id: "M", inner: [12, 6, 6], outer: [12.25, 6.25, 6.25], tareLb: 0.5, maxGrossLb: 30, materialCost: 0.7),
    ]

    static func item(_ id: String, location: String = "A", shipAlone: Bool = false, mixClass: String = "general") -> PackingInstance.Item {
        PackingInstance.Item(
            id: id,
            sku: id,
            dims: [5.9, 5.9, 5.9],
            weightLb: 1,
            location: location,
            shipAlone: shipAlone,
            keepUpright: false,
            mixClass: mixClass
        )
    }

    static func plan(_ items: [PackingInstance.Item]) -> (PackingSolution, PackingInstance) {
        let instance = PackingInstance(
            id: "rules",
            residential: true,
            zoneByLocation: ["A": 5, "B": 5],
            incompatibleClasses: [["food", "chem"]],
            boxes: boxes,
            items: items
        )
        return (PackingPlanner(rates: .packingBench).plan(instance), instance)
    }

    @Test func twoItemsThatFitTogether_shareTheCheaperBox() throws {
        // Postal: one M box (2.5 lb) 8.19 + 0.70 against two S boxes 2 x (6.75 + 0.50).
        let (plan, instance) = Self.plan([Self.item("a"), Self.item("b")])
        #expect(PlanChecker.violations(of: plan, for: instance) == [])
        #expect(plan.boxes.map(\.boxID) == ["M"])
    }

    @Test func locationsShipAloneAndIncompatibleClasses_keepItemsApart() throws {
        let cases: [[PackingInstance.Item]] = [
            [Self.item("a", location: "A"), Self.item("b", location: "B")],
            [Self.item("a", shipAlone: true), Self.item("b")],
            [Self.item("a", mixClass: "food"), Self.item("b", mixClass: "chem")],
        ]
        for items in cases {
            let (plan, instance) = Self.plan(items)
            #expect(PlanChecker.violations(of: plan, for: instance) == [])
            #expect(plan.boxes.map(\.boxID) == ["S", "S"], "\(items.map(\.id))")
        }
    }

    @Test func generalItems_mayGoWithEitherClass() throws {
        let (plan, instance) = Self.plan([Self.item("a", mixClass: "food"), Self.item("b", mixClass: "general")])
        #expect(PlanChecker.violations(of: plan, for: instance) == [])
        #expect(plan.boxes.count == 1)
    }
}
