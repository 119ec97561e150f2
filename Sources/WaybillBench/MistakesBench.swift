import ArgumentParser
import Foundation
import Subprocess
import SystemPackage
import WaybillCore
import WaybillHTTP
import WaybillHubStore
import WaybillStore
import WaybillTestSupport

/// `waybill-bench mistakes`: how many packing mistakes reach a printed carrier label.
///
/// A simulated packer packs every order of a seeded hub with mistakes injected at `--rate` of the
/// units (a wrong SKU, a missing unit, an extra unit, a unit of another box), twice, each over its
/// own hub, cupsd and agent process:
/// - **manual** (`station.mode: manual`): through the station screen's HTTP API, as the page does:
///   open, scan each unit, weigh each box with what is really in it. The packer does what the
///   screen says: a refused scan goes back out of the box; a box that will not weigh because units
///   are missing gets them; a weight mismatch makes the packer recount.
/// - **auto** (the baseline, no verification): the agent plans, prints and ships by itself while the
///   packer fills the boxes with the same kind of mistakes and nothing checks them.
///
/// A mistake is caught when the screen refused it before its box's labels printed; the others reach
/// the parcel. Every order must ship in both runs.
struct MistakesBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mistakes",
        abstract: "Packing mistakes caught before a carrier label prints: the station screen vs auto mode (floor: 99 % caught)."
    )

    @Option(help: "Orders to pack in each run.") var orders = 200
    @Option(help: "How many of them are split over several boxes (ship-alone SKUs, boxes sharing a SKU).") var split = 50
    @Option(help: "Share of units packed with a mistake.") var rate = 0.05
    @Option(help: "Seed of the injected mistakes.") var seed: UInt64 = 42
    @Option(help: "The waybill binary (default: beside this one).") var waybill: String?

    /// The kinds of mistakes a packer makes.
    enum Mistake: String, CaseIterable {
        case wrongSKU = "wrong SKU", missingUnit = "missing unit", extraUnit = "extra unit", otherBox = "unit of another box"
    }

    /// The mistakes of one run: made by kind, refused by the screen by kind, and the units that went
    /// wrong into a box whose labels printed (what the box holds against its plan, unit by unit).
    struct Tally {
        var made: [Mistake: Int] = [:]
        var caught: [Mistake: Int] = [:]
        var reached = 0
        var units = 0
        var boxes = 0
        var requests = 0
        var shipped = 0

        var madeCount: Int { made.values.reduce(0, +) }
        var caughtCount: Int { max(0, madeCount - reached) }
        var share: Double { madeCount == 0 ? 1 : Double(caughtCount) / Double(madeCount) }

        /// Adds the units by which a box that is closed (its labels print) differs from its plan.
        mutating func close(_ inside: [String: Int], planned: [String: Int]) {
            reached += Set(inside.keys).union(planned.keys).map { abs(inside[$0, default: 0] - planned[$0, default: 0]) }.reduce(0, +)
        }

        func line(_ name: String) -> String {
            let kinds = Mistake.allCases.map { "\($0.rawValue) \(caught[$0, default: 0])/\(made[$0, default: 0])" }.joined(separator: ", ")
            return String(
                format:
                    "%@: %d orders shipped in %d boxes, %d units, %d requests, %d mistakes, %d caught (%.1f %%), %d reached a printed carrier label; refused by the screen/made: %@",
                name,
                shipped,
                boxes,
                units,
                requests,
                madeCount,
                caughtCount,
                share * 100,
                reached,
                kinds
            )
        }
    }

    func run() async throws {
        let manual = try await pack(auto: false)
        let auto = try await pack(auto: true)
        print(manual.line("station screen (scan every unit, weigh every box)"))
        print(auto.line("auto mode (no verification, the baseline)"))
        let (reachedManual, reachedAuto) = (manual.reached, auto.reached)
        print(
            String(
                format: "mistakes reaching a parcel: %d with the screen vs %d in auto mode (%.1f %% fewer); caught %.1f %%   (floor: 99 %%)",
                reachedManual,
                reachedAuto,
                reachedAuto == 0 ? 0 : (1 - Double(reachedManual) / Double(reachedAuto)) * 100,
                manual.share * 100
            )
        )
        if manual.share < 0.99 { throw BenchError("only \(String(format: "%.1f", manual.share * 100)) % of mistakes were caught") }
    }

    /// One run over a hub of its own; returns its tally.
    private func pack(auto: Bool) async throws -> Tally {
        let hub = try await BenchHub.start(orders: orders - split, maxLines: 4)
        defer { hub.stop() }
        // Orders of ship-alone SKUs travel one unit per box: two or three boxes, often the same SKU.
        let seededHub = try HubStore.open(path: hub.folder + "/hub.sqlite")
        let alone = try Self.skus(seededHub).filter(\.shipAlone).map(\.id)
        var picker = SeededRandom(seed: seed &+ 1)
        for _ in 0..<split where alone.count >= 2 {
            let first = alone[Int(picker.next() % UInt64(alone.count))]
            let second = alone[Int(picker.next() % UInt64(alone.count))]
            let lines: [CentralAPI.Line] =
                first == second
                ? [.init(lineNo: 1, sku: first, quantity: 3)]
                : [.init(lineNo: 1, sku: first, quantity: 2), .init(lineNo: 2, sku: second, quantity: 1)]
            _ = try seededHub.createOrder(stationID: "station-1", lines: lines)
        }
        let cupsd = try await PrivateCupsd(profile: .stock)
        defer { cupsd.stop() }
        try cupsd.addQueue("label")
        try cupsd.addQueue("document")
        let folder = hub.folder + "/mistakes-\(auto ? "auto" : "manual")"
        let port = 18_900 + Int.random(in: 0..<500)
        let config = try hub.writeAgentConfiguration(
            folder: folder,
            mode: auto ? "auto" : "manual",
            listen: "127.0.0.1:\(port)",
            pollInterval: "1s",
            extra: "cups: {server: \"\(cupsd.socketPath)\"}\nprinters: {label: label, document: document}\n"
        )
        let binary = BenchHub.waybillBinary(waybill)
        let hubStore = try HubStore.open(path: hub.folder + "/hub.sqlite")
        let run = try await Subprocess.run(
            .path(FilePath(binary)),
            arguments: ["agent", "--config", config],
            input: .none,
            output: .discarded,
            error: .fileDescriptor(try AgentLog.open(in: folder), closeAfterSpawningProcess: true)
        ) { execution -> Tally in
            defer { try? execution.send(signal: .terminate) }
            let store = try await Self.waitForReplica(folder: folder, orders: orders)
            var packer = Packer(
                base: "http://127.0.0.1:\(port)",
                rate: rate,
                random: SeededRandom(seed: seed),
                weights: try Self.skuWeights(hubStore),
                strangers: try Self.strangerCodes(hubStore)
            )
            let ids = try Self.stationOrders(store)
            if auto {
                for id in ids { try await packer.fillUnchecked(store: store, orderID: id) }
            } else {
                for id in ids { try await packer.pack(orderID: id) }
            }
            try await Self.waitUntilShipped(store, ids)
            packer.tally.shipped = ids.count
            return packer.tally
        }
        return run.closureResult
    }

    /// The simulated packer and what it did.
    struct Packer {
        let base: String
        let rate: Double
        var random: SeededRandom
        /// Each SKU's unit weight in pounds.
        let weights: [String: Double]
        /// A barcode of each SKU, to pick a wrong item from.
        let strangers: [(sku: String, code: String)]
        let http = CurlHTTPClient(configuration: .init(connectTimeout: .seconds(2), requestTimeout: .seconds(30)))
        var tally = Tally()

        /// The mistake for the next unit, if any.
        mutating func nextMistake() -> Mistake? {
            guard Double.random(in: 0..<1, using: &random) < rate else { return nil }
            return Mistake.allCases[Int(random.next() % UInt64(Mistake.allCases.count))]
        }

        /// Packs an order through the screen's HTTP API, doing what the screen says.
        mutating func pack(orderID: String) async throws {
            let state = try await json("GET", "/station/orders/\(orderID)", nil)
            guard let boxes = state["boxes"] as? [[String: Any]] else { throw BenchError("no plan for \(orderID): \(state)") }
            let planned = boxes.map { box in
                (box["items"] as? [[String: Any]] ?? []).map { item in
                    (sku: item["sku"] as? String ?? "", expected: item["expected"] as? Int ?? 0, code: Self.unitCode(item))
                }
            }
            tally.boxes += boxes.count
            for (index, box) in boxes.enumerated() {
                let number = box["number"] as? Int ?? index + 1
                var inside: [String: Int] = [:]
                var missing: [(sku: String, code: String)] = []
                // Mistakes the screen accepted: they stay in the box unless the scale notices.
                var kept: [Mistake] = []
                let others = planned.enumerated().filter { $0.offset != index }.flatMap(\.element)
                    .filter { other in !planned[index].contains { $0.sku == other.sku } }
                for item in planned[index] {
                    for _ in 0..<item.expected {
                        tally.units += 1
                        var mistake = nextMistake()
                        if mistake == .otherBox, others.isEmpty { mistake = .wrongSKU }
                        if let mistake { tally.made[mistake, default: 0] += 1 }
                        switch mistake {
                        case .missingUnit:
                            missing.append((item.sku, item.code))
                            continue
                        case .wrongSKU:
                            let pool = strangers.filter { stranger in !planned.joined().contains { $0.sku == stranger.sku } }
                            let stranger = pool[Int(random.next() % UInt64(pool.count))]
                            try await scanMistake(stranger.code, sku: stranger.sku, mistake: .wrongSKU, into: &inside, kept: &kept, orderID: orderID)
                        case .otherBox:
                            let other = others[Int(random.next() % UInt64(others.count))]
                            try await scanMistake(other.code, sku: other.sku, mistake: .otherBox, into: &inside, kept: &kept, orderID: orderID)
                        case .extraUnit, nil:
                            break
                        }
                        if try await scan(item.code, orderID: orderID) { inside[item.sku, default: 0] += 1 }
                        if mistake == .extraUnit {
                            try await scanMistake(item.code, sku: item.sku, mistake: .extraUnit, into: &inside, kept: &kept, orderID: orderID)
                        }
                    }
                }
                // The packer believes the box is done and puts it on the scale.
                let expectedLb = box["expected_lb"] as? Double ?? 0
                var weighing = try await weigh(orderID, box: number, pounds: weight(of: inside, planned: planned[index], expectedLb: expectedLb))
                if !weighing.accepted, weighing.message.contains("not verified") {
                    // The screen lists what is missing: the packer finds it and scans it.
                    tally.caught[.missingUnit, default: 0] += missing.count
                    for unit in missing where try await scan(unit.code, orderID: orderID) { inside[unit.sku, default: 0] += 1 }
                    weighing = try await weigh(orderID, box: number, pounds: weight(of: inside, planned: planned[index], expectedLb: expectedLb))
                }
                if !weighing.accepted, weighing.message.contains("should weigh") {
                    // The scale disagrees: the packer recounts the box against the screen and fixes it.
                    for mistake in kept { tally.caught[mistake, default: 0] += 1 }
                    kept = []
                    inside = planned[index].reduce(into: [:]) { $0[$1.sku] = $1.expected }
                    weighing = try await weigh(orderID, box: number, pounds: weight(of: inside, planned: planned[index], expectedLb: expectedLb))
                }
                guard weighing.accepted else { throw BenchError("box \(number) of \(orderID) would not weigh: \(weighing.message)") }
                tally.close(inside, planned: planned[index].reduce(into: [:]) { $0[$1.sku] = $1.expected })
            }
        }

        /// A mistaken scan: caught when refused (the item goes back out), else it stays in the box.
        mutating func scanMistake(
            _ code: String,
            sku: String,
            mistake: Mistake,
            into inside: inout [String: Int],
            kept: inout [Mistake],
            orderID: String
        ) async throws {
            if try await scan(code, orderID: orderID) {
                inside[sku, default: 0] += 1
                kept.append(mistake)
            } else {
                tally.caught[mistake, default: 0] += 1
            }
        }

        /// Scans a code into the open box; whether the screen accepted it.
        mutating func scan(_ code: String, orderID: String) async throws -> Bool {
            let answer = try await json("POST", "/station/orders/\(orderID)/scan", "code=\(code)")
            return answer["accepted"] as? Bool == true
        }

        mutating func weigh(_ orderID: String, box: Int, pounds: Double) async throws -> (accepted: Bool, message: String) {
            let answer = try await json("POST", "/station/orders/\(orderID)/weigh", "box=\(box)&weight=\(String(format: "%.3f", pounds))")
            return (answer["accepted"] as? Bool == true, answer["message"] as? String ?? "")
        }

        /// What the box really weighs: the plan's gross weight, plus or minus the units that differ.
        func weight(of inside: [String: Int], planned: [(sku: String, expected: Int, code: String)], expectedLb: Double) -> Double {
            var pounds = expectedLb
            for (sku, count) in inside { pounds += Double(count) * (weights[sku] ?? 0) }
            for item in planned { pounds -= Double(item.expected) * (weights[item.sku] ?? 0) }
            return pounds
        }

        /// The baseline: the agent packs by itself; the packer fills its boxes with mistakes nobody checks.
        mutating func fillUnchecked(store: WaybillStore, orderID: String) async throws {
            var shipment = try store.shipment(orderID: orderID)
            while shipment == nil {
                try await Task.sleep(for: .milliseconds(20))
                shipment = try store.shipment(orderID: orderID)
            }
            let boxes = shipment?.boxes ?? []
            tally.boxes += boxes.count
            let skuOf = try Self.skuByItem(store: store, orderID: orderID)
            for (index, box) in boxes.enumerated() {
                let planned = box.items.reduce(into: [String: Int]()) { $0[skuOf($1.id), default: 0] += 1 }
                let others = boxes.enumerated().filter { $0.offset != index }.flatMap { $0.element.items.map { skuOf($0.id) } }
                    .filter { planned[$0] == nil }
                var inside = planned
                for item in box.items {
                    tally.units += 1
                    guard var mistake = nextMistake() else { continue }
                    if mistake == .otherBox, others.isEmpty { mistake = .wrongSKU }
                    tally.made[mistake, default: 0] += 1
                    // Nothing checks: what the packer did is what ships.
                    switch mistake {
                    case .wrongSKU: inside["a wrong item", default: 0] += 1
                    case .missingUnit: inside[skuOf(item.id), default: 0] -= 1
                    case .extraUnit: inside[skuOf(item.id), default: 0] += 1
                    case .otherBox: inside[others[Int(random.next() % UInt64(others.count))], default: 0] += 1
                    }
                }
                tally.close(inside, planned: planned)
            }
        }

        /// The SKU of each of the planner's item ids (`LINE-UNIT`) of an order.
        static func skuByItem(store: WaybillStore, orderID: String) throws -> (String) -> String {
            let lines = try store.packingInputs(orderID: orderID).order.lines
            let byLine = Dictionary(lines.map { ($0.lineNo, $0.sku) }, uniquingKeysWith: { first, _ in first })
            return { id in id.split(separator: "-").first.flatMap { Int($0) }.flatMap { byLine[$0] } ?? id }
        }

        /// The CSRF token every POST carries, from `GET /station/session`.
        var csrf: String?

        mutating func json(_ method: String, _ path: String, _ form: String?) async throws -> [String: Any] {
            if method == "POST", csrf == nil { csrf = try await json("GET", "/station/session", nil)["csrf"] as? String }
            tally.requests += 1
            var headers = [(name: "Accept", value: "application/json")]
            if form != nil { headers.append((name: "Content-Type", value: "application/x-www-form-urlencoded")) }
            if method == "POST", let csrf { headers.append((name: "X-CSRF-Token", value: csrf)) }
            let response = try await http.send(HTTPRequest(method: method, url: base + path, headers: headers, body: Array((form ?? "").utf8)))
            guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
                throw BenchError("\(method) \(path) answered \(response.status): \(response.text.prefix(200))")
            }
            return object
        }

        static func unitCode(_ item: [String: Any]) -> String {
            let barcodes = item["barcodes"] as? [[String: Any]] ?? []
            return barcodes.first { $0["units"] as? Int == 1 }?["code"] as? String ?? item["sku"] as? String ?? ""
        }
    }

    static func skuWeights(_ hub: HubStore) throws -> [String: Double] {
        try skus(hub).reduce(into: [:]) { $0[$1.id] = $1.weightLb }
    }

    static func strangerCodes(_ hub: HubStore) throws -> [(sku: String, code: String)] {
        try skus(hub).compactMap { sku in sku.barcodes.first { $0.units == 1 }.map { (sku.id, $0.code) } }
    }

    static func skus(_ hub: HubStore) throws -> [CentralAPI.SKUData] {
        try hub.view(of: .sku, stationID: "station-1").keys.sorted().compactMap { id in
            try hub.entity(.sku, id: id).map { try JSONDecoder().decode(CentralAPI.SKUData.self, from: Data($0.data.utf8)) }
        }
    }

    /// The orders assigned to the station in its replica.
    static func stationOrders(_ store: WaybillStore) throws -> [String] {
        try store.replicaVersions(of: .order).keys.sorted().filter { id in
            guard let order = try store.order(id: id), order.state == .assigned || order.state == .claimed || order.state == .packed else {
                return false
            }
            let object = try JSONSerialization.jsonObject(with: Data(order.data.utf8)) as? [String: Any]
            return object?["station_id"] as? String == "station-1"
        }
    }

    /// Opens the agent's replica (`station.sqlite` in `folder`) once its first pull brought every
    /// order in; the error says how many it had and how the agent's log ends.
    static func waitForReplica(folder: String, orders: Int) async throws -> WaybillStore {
        let path = folder + "/station.sqlite"
        var pulled = 0
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            if FileManager.default.fileExists(atPath: path), let store = try? WaybillStore.open(atPath: path) {
                pulled = (try? store.replicaVersions(of: .order).count) ?? 0
                if pulled >= orders { return store }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchError("the agent pulled \(pulled) of the \(orders) orders in 120 s; its log ends:\n\(AgentLog.tail(in: folder))")
    }

    static func waitUntilShipped(_ store: WaybillStore, _ ids: [String]) async throws {
        let deadline = ContinuousClock.now + .seconds(600)
        while ContinuousClock.now < deadline {
            if try ids.allSatisfy({ try store.order(id: $0)?.state == .shipped }) { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        let left = try ids.filter { try store.order(id: $0)?.state != .shipped }
        throw BenchError("\(left.count) orders never shipped, such as \(left.prefix(3))")
    }
}
