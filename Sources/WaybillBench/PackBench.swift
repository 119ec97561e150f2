import ArgumentParser
import Foundation
import Subprocess
import WaybillCore
import WaybillHTTP

/// `waybill-bench pack`: the box planner's time per ecom order and on a 100-unit order, beside py3dbp
/// (packing-bench's reference packer) on the same instances in the same run when it is installed.
struct PackBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pack",
        abstract: "Box planner: median time per ecom order and a 100-unit order (floors: 1 ms, 50 ms), beside py3dbp."
    )

    @Option(help: "Folder of ecom instances (default: ../shared/packing-bench/instances/ecom, else the test fixtures).")
    var instances: String?
    @Option(name: .customLong("budget-ms"), help: "The planner's time budget per order.") var budgetMs = 50
    @Option(help: "Timed runs of each order (the median counts).") var runs = 5
    @Option(help: "Rounds of waybill and py3dbp, alternating which goes first.") var rounds = 3

    func run() async throws {
        let folder = try instanceFolder()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }.sorted()
        let orders = try names.map { try JSONDecoder().decode(PackingInstance.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/" + $0))) }
        guard let first = orders.first else { throw ValidationError("\(folder) holds no instances") }
        let big = Self.hundredUnits(from: orders, template: first)
        let planner = PackingPlanner(rates: .packingBench, budget: .milliseconds(budgetMs))
        let bigPlan = planner.plan(big)
        let valid = PlanChecker.violations(of: bigPlan, for: big).isEmpty

        // The two sides take turns, each first in every other round; the ratios are the rounds' medians.
        var ratios: [Double] = []
        var bigRatios: [Double] = []
        var perOrder: [Double] = []
        var bigTimes: [Double] = []
        var peerMedians: [Double] = []
        var peerBig: [Double] = []
        var hasPeer = true
        for round in 0..<max(1, rounds) {
            func ours() -> (perOrder: [Double], big: Double) {
                (
                    orders.map { order in Rounds.median((0..<runs).map { _ in time { _ = planner.plan(order) } }) },
                    Rounds.median((0..<runs).map { _ in time { _ = planner.plan(big) } })
                )
            }
            let mine: (perOrder: [Double], big: Double)
            let peer: (median: Double, big: Double)?
            if round % 2 == 0 {
                mine = ours()
                peer = hasPeer ? try await py3dbp(orders: orders, big: big) : nil
            } else {
                peer = hasPeer ? try await py3dbp(orders: orders, big: big) : nil
                mine = ours()
            }
            perOrder += mine.perOrder
            bigTimes.append(mine.big)
            guard let peer else {
                hasPeer = false
                continue
            }
            peerMedians.append(peer.median)
            peerBig.append(peer.big)
            ratios.append(peer.median / Rounds.median(mine.perOrder))
            bigRatios.append(peer.big / mine.big)
            print(
                String(
                    format: "round %d (%@ first): py3dbp/waybill %.1fx per ecom order, %.1fx on the 100-unit order",
                    round + 1,
                    round % 2 == 0 ? "waybill" : "py3dbp",
                    ratios.last!,
                    bigRatios.last!
                )
            )
        }
        print(
            String(
                format: "waybill pack: %d ecom orders, median %.3f ms per order (floor 1 ms), p90 %.3f ms, max %.3f ms (all rounds)",
                orders.count,
                Rounds.median(perOrder) * 1000,
                quantile(perOrder, 0.9) * 1000,
                (perOrder.max() ?? 0) * 1000
            )
        )
        print(
            String(
                format: "waybill pack: 100-unit order %.2f ms median (floor 50 ms, budget %d ms), %d boxes, valid: %@",
                Rounds.median(bigTimes) * 1000,
                budgetMs,
                bigPlan.boxes.count,
                valid ? "yes" : "NO"
            )
        )
        guard hasPeer, !ratios.isEmpty else {
            print("py3dbp: not installed (pip install py3dbp): no peer in this run")
            return
        }
        print(
            String(
                format: "py3dbp 1.1.2: median %.3f ms per order, 100-unit order %.2f ms",
                Rounds.median(peerMedians) * 1000,
                Rounds.median(peerBig) * 1000
            )
        )
        print(
            String(
                format: "ratio (py3dbp / waybill), median of %d rounds: %.1fx per ecom order (%.1f–%.1fx), %.1fx on the 100-unit order (%.1f–%.1fx)",
                ratios.count,
                Rounds.median(ratios),
                ratios.min() ?? 0,
                ratios.max() ?? 0,
                Rounds.median(bigRatios),
                bigRatios.min() ?? 0,
                bigRatios.max() ?? 0
            )
        )
    }

    private func instanceFolder() throws -> String {
        if let instances { return instances }
        for candidate in ["../shared/packing-bench/instances/ecom", "Tests/WaybillCoreTests/Fixtures/packing-bench/ecom"]
        where FileManager.default.fileExists(atPath: candidate) {
            return candidate
        }
        throw ValidationError("no ecom instances found: run from the repository root or give --instances DIR")
    }

    /// A 100-unit order of the instances' items (every 7th unit of all orders), from three locations.
    static func hundredUnits(from orders: [PackingInstance], template: PackingInstance) -> PackingInstance {
        let pool = orders.flatMap(\.items)
        var order = template
        order.id = "bench-100"
        order.zoneByLocation = ["A": 5, "B": 6, "C": 4]
        order.items = (0..<100).map { index in
            var item = pool[(index * 7) % pool.count]
            item.id = "U\(index)"
            return item
        }
        return order
    }

    private func time(_ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        let elapsed = clock.measure(body)
        return elapsed.seconds
    }

    private func quantile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * q + 0.5))]
    }

    /// py3dbp's times on the same orders: the median per order and the 100-unit order, or `nil` when it
    /// is not installed.
    private func py3dbp(orders: [PackingInstance], big: PackingInstance) async throws -> (median: Double, big: Double)? {
        let folder = NSTemporaryDirectory() + "waybill-pack-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let encoder = JSONEncoder()
        for order in orders + [big] { try encoder.encode(order).write(to: URL(fileURLWithPath: "\(folder)/\(order.id).json")) }
        try Self.peerScript.write(toFile: folder + "/peer.py", atomically: true, encoding: .utf8)
        let result = try await Subprocess.run(
            .name("python3"),
            arguments: [folder + "/peer.py", folder, String(runs)],
            output: .string(limit: 1 << 20),
            error: .discarded
        )
        guard result.terminationStatus.isSuccess else { return nil }
        let text = result.standardOutput
        let fields = text.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        return fields.count == 2 ? (fields[0], fields[1]) : nil
    }

    /// py3dbp with a BoxPacker-style outer loop (the cheapest box by material that holds everything,
    /// else the largest box filled and the rest again), per group that may share a box.
    static let peerScript = #"""
        import glob, json, os, sys, time, statistics
        try:
            from py3dbp import Packer, Bin, Item
        except ImportError:
            sys.exit(3)

        def pack_group(boxes, items):
            boxes = sorted(boxes, key=lambda b: b["material_cost"])
            left = list(items)
            while left:
                done = False
                for box in boxes:
                    packer = Packer()
                    packer.add_bin(Bin(box["id"], *box["inner"], box["max_gross_lb"] - box["tare_lb"]))
                    for it in left:
                        packer.add_item(Item(it["id"], *it["dims"], it["weight_lb"]))
                    packer.pack(bigger_first=True)
                    if not packer.bins[0].unfitted_items:
                        return
                biggest = max(boxes, key=lambda b: b["inner"][0] * b["inner"][1] * b["inner"][2])
                packer = Packer()
                packer.add_bin(Bin(biggest["id"], *biggest["inner"], biggest["max_gross_lb"] - biggest["tare_lb"]))
                for it in left:
                    packer.add_item(Item(it["id"], *it["dims"], it["weight_lb"]))
                packer.pack(bigger_first=True)
                packed = {i.name for i in packer.bins[0].items}
                if not packed:
                    left = left[1:]
                else:
                    left = [it for it in left if it["id"] not in packed]

        def plan(inst):
            groups = {}
            for it in inst["items"]:
                key = it["id"] if it["ship_alone"] else (it["location"], it["mix_class"] == "chem")
                groups.setdefault(key, []).append(it)
            for items in groups.values():
                pack_group(inst["boxes"], items)

        folder, runs = sys.argv[1], int(sys.argv[2])
        per_order, big = [], 0.0
        for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
            inst = json.load(open(path))
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                plan(inst)
                times.append(time.perf_counter() - start)
            if inst["id"] == "bench-100":
                big = statistics.median(times)
            else:
                per_order.append(statistics.median(times))
        print(statistics.median(per_order), big)
        """#
}
