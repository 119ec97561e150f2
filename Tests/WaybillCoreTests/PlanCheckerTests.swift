import Foundation
import Testing
import WaybillCore

/// The project's own plan checker and pricing, on packing-bench instances copied into the fixtures.
@Suite struct PlanCheckerTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/packing-bench")
    static let rates = try! JSONDecoder().decode(RateModel.self, from: Data(contentsOf: fixtures.appendingPathComponent("rates.json")))

    static func instance(_ family: String, _ name: String) throws -> PackingInstance {
        try JSONDecoder().decode(PackingInstance.self, from: Data(contentsOf: fixtures.appendingPathComponent("\(family)/\(name).json")))
    }

    /// Reference costs by instance id (`reference.csv`).
    static let references: [String: Double] = {
        let text = (try? String(contentsOf: fixtures.appendingPathComponent("reference.csv"), encoding: .utf8)) ?? ""
        var result: [String: Double] = [:]
        // The file has CRLF line ends: "\r\n" is one Character, so split on any newline.
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            if fields.count >= 5, let cost = Double(fields[4]) { result[String(fields[0])] = cost }
        }
        return result
    }()

    /// The simplest valid plan: each item alone, in the cheapest box it fits in one of its allowed rotations.
    static func eachAlone(_ instance: PackingInstance) -> PackingSolution {
        var boxes: [PackingSolution.PackedBox] = []
        for item in instance.items {
            let d = item.dims
            let rotations =
                item.keepUpright
                ? [[d[0], d[1], d[2]], [d[1], d[0], d[2]]]
                : [
                    [d[0], d[1], d[2]], [d[0], d[2], d[1]], [d[1], d[0], d[2]], [d[1], d[2], d[0]], [d[2], d[0], d[1]], [d[2], d[1], d[0]],
                ]
            let options: [(Double, PackingSolution.PackedBox)] = instance.boxes.compactMap { box in
                guard let rotation = rotations.first(where: { r in (0..<3).allSatisfy { r[$0] <= box.inner[$0] + 1e-9 } }) else { return nil }
                let packed = PackingSolution.PackedBox(boxID: box.id, items: [.init(id: item.id, pos: [0, 0, 0], dims: rotation)])
                guard let cost = PlanChecker.cost(of: PackingSolution(boxes: [packed]), for: instance, rates: rates) else { return nil }
                return (cost, packed)
            }
            if let best = options.min(by: { $0.0 < $1.0 }) { boxes.append(best.1) }
        }
        return PackingSolution(boxes: boxes)
    }

    @Test(arguments: [
        ("small", "small-s1-0000"), ("small", "small-s1-0001"), ("small", "small-s1-0002"), ("small", "small-s1-0003"),
        ("ecom", "ecom-s1-0000"), ("ecom", "ecom-s1-0001"), ("perfect", "perfect-s1-0000"),
    ])
    func eachItemAlone_isValid_andNeverCheaperThanTheProvenOptimum(family: String, name: String) throws {
        let instance = try Self.instance(family, name)
        let plan = Self.eachAlone(instance)
        #expect(PlanChecker.violations(of: plan, for: instance) == [])
        let cost = try #require(PlanChecker.cost(of: plan, for: instance, rates: Self.rates))
        if family == "small", let optimum = Self.references[name] {
            // The reference is the proven optimum under the same rate rules: no valid plan costs less.
            #expect(cost >= optimum - 0.005, "each-alone \(cost) < optimum \(optimum): the cost model disagrees with packing-bench")
        }
    }

    @Test func referenceFigures_areRead() {
        #expect(Self.references.count == 133)  // 40 small, 93 ecom (perfect has box counts only)
        #expect(Self.references["small-s1-0000"] == 9.34)
    }

    @Test func brokenPlans_areCaughtRuleByRule() throws {
        let instance = try Self.instance("ecom", "ecom-s1-0000")
        let valid = Self.eachAlone(instance)
        #expect(PlanChecker.violations(of: valid, for: instance).isEmpty)
        let first = valid.boxes[0]

        var missing = valid
        missing.boxes.removeFirst()
        #expect(PlanChecker.violations(of: missing, for: instance).contains { $0.contains("missing") })

        var twice = valid
        twice.boxes.append(first)
        #expect(PlanChecker.violations(of: twice, for: instance).contains { $0.contains("packed 2 times") })

        var outside = valid
        outside.boxes[0].items[0].pos = [1000, 0, 0]
        #expect(PlanChecker.violations(of: outside, for: instance).contains { $0.contains("outside") })

        var stretched = valid
        stretched.boxes[0].items[0].dims[0] += 1
        #expect(PlanChecker.violations(of: stretched, for: instance).contains { $0.contains("not a rotation") })

        // Two items at one spot in one big box: overlap (and, for this instance, a rule about mixing perhaps).
        let big = try #require(instance.boxes.max { $0.inner.reduce(1, *) < $1.inner.reduce(1, *) })
        let twoItems = valid.boxes.prefix(2).flatMap(\.items)
        let crowded = PackingSolution(boxes: [.init(boxID: big.id, items: twoItems)] + valid.boxes.dropFirst(2))
        #expect(PlanChecker.violations(of: crowded, for: instance).contains { $0.contains("overlaps") })
    }

    @Test func mixingRules_locationShipAloneAndClasses() throws {
        var instance = try Self.instance("ecom", "ecom-s1-0000")
        let a = instance.items[0], b = instance.items[1]
        var x = a, y = b
        x.location = "A"; y.location = "B"; x.shipAlone = false; y.shipAlone = false
        #expect(!instance.canShare([x, y]))
        y.location = "A"
        x.mixClass = "general"; y.mixClass = "general"
        #expect(instance.canShare([x, y]))
        x.shipAlone = true
        #expect(!instance.canShare([x, y]))
        x.shipAlone = false
        x.mixClass = "food"; y.mixClass = "chem"
        instance.incompatibleClasses = [["food", "chem"]]
        #expect(!instance.canShare([x, y]))
    }
}
