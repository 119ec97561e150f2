import Foundation
import Testing
import WaybillCore

/// The planner on every packing-bench instance copied into the fixtures, validated and priced by the
/// project's own checker; the floors are issue #5's.
@Suite struct PackingPlannerTests {
    /// Tests run on debug builds, often beside other suites: a generous budget with fewer restarts, so
    /// the search ends by running out of restarts (deterministic) rather than out of time.
    static let planner = PackingPlanner(rates: PlanCheckerTests.rates, budget: .seconds(2), restarts: 6)

    static func instances(_ family: String) throws -> [PackingInstance] {
        let folder = PlanCheckerTests.fixtures.appendingPathComponent(family)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { try PlanCheckerTests.instance(family, String($0.dropLast(5))) }
    }

    /// Plans every instance of a family: all valid, then the total cost against the references.
    static func score(_ family: String) throws -> (count: Int, cost: Double, reference: Double, boxes: [Int], compared: Int) {
        var cost = 0.0, reference = 0.0
        var compared = 0
        var boxes: [Int] = []
        let instances = try instances(family)
        for instance in instances {
            let plan = planner.plan(instance)
            #expect(PlanChecker.violations(of: plan, for: instance) == [], "\(instance.id)")
            #expect(plan.unpacked.isEmpty, "\(instance.id)")
            let planCost = try #require(PlanChecker.cost(of: plan, for: instance, rates: PlanCheckerTests.rates), "\(instance.id)")
            boxes.append(plan.boxes.count)
            if let known = PlanCheckerTests.references[instance.id] {
                cost += planCost
                reference += known
                compared += 1
            }
        }
        return (instances.count, cost, reference, boxes, compared)
    }

    @Test func small_isValid_andWithinHalfAPercentOfTheProvenOptimum() throws {
        let score = try Self.score("small")
        #expect(score.count == 40)
        #expect(score.compared == 40)
        #expect(score.cost <= score.reference * 1.005, "small: \(score.cost) against \(score.reference)")
        print("small: cost \(score.cost) reference \(score.reference) ratio \(score.cost / score.reference)")
    }

    @Test func ecom_isValid_andAtMost90PercentOfPy3dbp() throws {
        let score = try Self.score("ecom")
        #expect(score.count == 100)
        #expect(score.compared == 93)  // py3dbp's answer was invalid on 7
        #expect(score.cost <= score.reference * 0.90, "ecom: \(score.cost) against \(score.reference)")
        print("ecom: cost \(score.cost) reference \(score.reference) ratio \(score.cost / score.reference)")
    }

    @Test func perfect_isValid_andUsesExactlyThreeBoxes() throws {
        let score = try Self.score("perfect")
        #expect(score.count == 10)
        #expect(score.boxes == Array(repeating: 3, count: 10))
    }

    @Test func aHundredAndTwentyUnitOrder_getsAValidPlan() throws {
        var instance = try PlanCheckerTests.instance("ecom", "ecom-s1-0000")
        let pool = try Self.instances("ecom").flatMap(\.items)
        instance.items = (0..<120).map { index in
            var item = pool[(index * 7) % pool.count]
            item.id = "U\(index)"
            return item
        }
        instance.zoneByLocation = ["A": 5, "B": 6, "C": 4]
        let plan = PackingPlanner(rates: PlanCheckerTests.rates).plan(instance)
        #expect(PlanChecker.violations(of: plan, for: instance) == [])
        #expect(plan.unpacked.isEmpty)
        let alone = try #require(PlanChecker.cost(of: PlanCheckerTests.eachAlone(instance), for: instance, rates: PlanCheckerTests.rates))
        let cost = try #require(PlanChecker.cost(of: plan, for: instance, rates: PlanCheckerTests.rates))
        #expect(cost <= alone)
    }

    @Test func theSameSeed_givesTheSamePlan() throws {
        let instance = try PlanCheckerTests.instance("ecom", "ecom-s1-0001")
        let planner = PackingPlanner(rates: PlanCheckerTests.rates, budget: .seconds(10), seed: 7, restarts: 3)
        #expect(planner.plan(instance) == planner.plan(instance))
    }

    @Test func anItemNoBoxHolds_isListedAsUnpacked_andTheRestIsPlanned() throws {
        var instance = try PlanCheckerTests.instance("small", "small-s1-0001")
        var giant = instance.items[0]
        giant.id = "GIANT"
        giant.dims = [200, 200, 200]
        instance.items.append(giant)
        let plan = Self.planner.plan(instance)
        #expect(plan.unpacked == ["GIANT"])
        #expect(PlanChecker.violations(of: plan, for: instance) == [])
    }

    @Test func aZeroBudget_stillGivesAValidPlan() throws {
        let instance = try PlanCheckerTests.instance("ecom", "ecom-s1-0000")
        let plan = PackingPlanner(rates: PlanCheckerTests.rates, budget: .zero).plan(instance)
        #expect(PlanChecker.violations(of: plan, for: instance) == [])
    }

    @Test func theBuiltInRateModel_isPackingBenchsRatesFile() {
        #expect(RateModel.packingBench == PlanCheckerTests.rates)
    }
}
