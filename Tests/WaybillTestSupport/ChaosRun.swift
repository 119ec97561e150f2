import Foundation
import WaybillCore
public import WaybillHubStore
import WaybillStore

/// The chaos harness: the real `waybill agent` in autonomous mode, printing through a private cupsd,
/// against a real `waybill-hub` process with faults on, SIGKILLed on a seeded random schedule; the
/// hub is killed and restarted too. At the end, with faults off, it waits for the agent to drain
/// (nothing is forced) and checks what a station promises:
/// - every label reached a printer exactly once, and every print job's label did;
/// - every order shipped, each with its box label, packing slip and carrier label per box, each
///   printed exactly once;
/// - the hub took each business fact once: per order one claim, pack, label request and ship, one
///   `printed` per print job;
/// - the replica's orders equal the hub's view of the station.
///
/// Work keeps coming: when fewer than ``Plan/backlog`` orders are open, new ones (one to three SKUs)
/// are created centrally, so every kill lands on a station with work in hand.
///
/// In storefront mode (``Plan/storefront``) the station runs against the hub's Shopify and ShipEngine
/// emulators instead, and customers change addresses and cancel orders in the store while it works;
/// the checks are then the storefront's: see ``checkStorefront(_:_:orders:into:)``.
public struct ChaosRun {
    public struct Plan {
        public var orders = 300
        public var agentKills = 50
        public var hubKills = 2
        /// The hub's `--faults` spec while the kills go on; a hang outlasts the agent's 5 s request timeout.
        public var faults = "mixed:0.1:300,hang=5500,seed=5"
        public var seed: UInt64 = 2026
        /// Kills land this long (at most) after the agent last made progress.
        public var maxKillDelay = 1_200
        public var backlog = 12
        /// Runs the station in storefront mode (`central.kind: storefront`) against the emulators.
        public var storefront = false

        public init(agentKills: Int = 50, storefront: Bool = false) {
            self.agentKills = agentKills
            self.storefront = storefront
        }
    }

    /// What the run did and found.
    public struct Outcome {
        public var agentKillsLanded = 0
        public var hubKillsLanded = 0
        public var ordersShipped = 0
        public var labelsPrinted = 0
        public var ordersCreated = 0
        /// Faults the hub injected, by kind, summed over its restarts.
        public var faultsFired: [String: Int] = [:]
        /// Deliveries the hub received, by outcome (applied, duplicate, refused).
        public var deliveries: [Delivery.Outcome: Int] = [:]
        /// Storefront mode: addresses changed and orders cancelled in the store during the run.
        public var addressEdits = 0
        /// Box labels and slips of shipped orders a relabel replaced (issued again from the new address).
        public var documentsReplaced = 0
        public var cancellations = 0
        /// Changes in the store that reached the station after the order shipped (no relabel or intercept).
        public var lateChanges = 0
        /// The orders those late changes were made to (their labels carry the address they shipped to).
        public var lateOrders: Set<String> = []
        /// Storefront mode: orders the station intercepted (cancelled here), fulfillments created,
        /// labels the provider sold and how many of them were voided there.
        public var ordersCancelled = 0
        public var fulfillments = 0
        public var labelsSold = 0
        public var labelsVoided = 0
        /// Purchases given up before their answer came (a relabel or an intercept first), and how
        /// many of them had sold a label the station then voided.
        public var purchasesGivenUp = 0
        public var givenUpLabelsVoided = 0
        /// Every broken promise, in words; empty when the station kept them all.
        public var problems: [String] = []

        public var summary: String {
            let faults = faultsFired.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            let central =
                deliveries.isEmpty
                ? "in the store \(addressEdits) addresses changed and \(cancellations) orders cancelled (\(lateChanges) of these changes after shipping); \(ordersCancelled) orders "
                    + "intercepted, \(fulfillments) fulfillments created, \(labelsSold) labels sold (\(labelsVoided) voided), \(purchasesGivenUp) purchases given up before their answer "
                    + "(\(givenUpLabelsVoided) of their labels voided), \(documentsReplaced) box labels and slips of shipped orders issued again"
                : "hub deliveries: \(deliveries[.applied] ?? 0) applied, \(deliveries[.duplicate] ?? 0) duplicate, "
                    + "\(deliveries[.refused] ?? 0) refused"
            return "chaos: \(agentKillsLanded) agent kills and \(hubKillsLanded) hub kills landed; \(ordersShipped) orders shipped "
                + "(\(ordersCreated) created during the run), \(labelsPrinted) labels printed; \(central); faults fired: \(faults)"
        }
    }

    public let plan: Plan

    public init(plan: Plan) { self.plan = plan }

    public func run() async throws -> Outcome {
        let station =
            plan.storefront
            ? try await AutonomousStation.startStorefront(orders: plan.orders, faults: plan.faults)
            : try await AutonomousStation.start(orders: plan.orders, faults: plan.faults)
        defer { station.stop() }
        let hub = station.station.hub
        let store = try station.store()
        var random = SeededRandom(seed: plan.seed)
        var outcome = Outcome()
        let hubKillAt = Set((1...max(plan.hubKills, 1)).prefix(plan.hubKills).map { $0 * plan.agentKills / (plan.hubKills + 1) })
        var skus: [String] = []

        for iteration in 0..<plan.agentKills {
            let orders = try station.stationOrders(store)
            if skus.isEmpty { skus = Array(Set(orders.flatMap { $0.lines.map(\.skuID) })).sorted() }
            let open = orders.filter { $0.state != .shipped && $0.state != .cancelled }.count
            if !skus.isEmpty, open < plan.backlog {
                for _ in open..<plan.backlog {
                    let lines = (0..<Int.random(in: 1...3, using: &random)).map { _ in skus[Int.random(in: 0..<skus.count, using: &random)] }
                    _ = try await station.createOrder(skus: lines)
                    outcome.ordersCreated += 1
                }
            }
            // Storefront mode: every third iteration the label printer is out of labels while the store changes an order.
            let printerOut = plan.storefront && iteration % 3 == 1
            if printerOut { try station.cupsd.disable("label") }
            let agent = try station.startAgent(log: station.station.folder.file("agent-\(iteration).log"))
            defer { agent.kill() }
            try await agent.waitForLog("Agent started")
            let before = try Self.progress(station, store)
            try await agent.poll(timeout: .seconds(60), "chaos iteration \(iteration) made no progress") {
                try Self.progress(station, store) != before
            }
            if hubKillAt.contains(iteration) {
                // The hub dies mid-run and stays down a moment while the agent works on.
                outcome.faultsFired.merge(try await hub.injectedFaults(), uniquingKeysWith: +)
                if hub.crash() { outcome.hubKillsLanded += 1 }
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...plan.maxKillDelay, using: &random)))
                try await hub.restart()
            }
            if printerOut {
                try await changeInTheStore(station, store, agent: agent, iteration: iteration, random: &random, outcome: &outcome)
                // The packer fixes the printer once the withdrawn labels are off it (the spooler cancelled them in CUPS).
                try await agent.poll(timeout: .seconds(60), "withdrawn print jobs stayed open") {
                    try store.openPrintJobs().allSatisfy { $0.withdrawal == nil }
                }
                try station.cupsd.enable("label")
            }
            // A random point of the run: a kill time, not a synchronisation wait.
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...plan.maxKillDelay, using: &random)))
            if agent.kill() { outcome.agentKillsLanded += 1 }
        }

        outcome.faultsFired.merge(try await hub.injectedFaults(), uniquingKeysWith: +)
        try await hub.setFaults("")
        let agent = try station.startAgent(log: station.station.folder.file("agent-final.log"))
        defer { agent.kill() }
        // Waits as long as the agent makes progress (a loaded machine drains slower); fails once it stalls.
        var last = try Self.progress(station, store)
        var stalledSince = ContinuousClock.now
        try await agent.poll(timeout: .seconds(900), "after the kills, the agent never shipped and confirmed every order") {
            if try plan.storefront ? Self.storefrontDrained(station, store) : station.drained(store) { return true }
            let now = try Self.progress(station, store)
            if now != last {
                last = now
                stalledSince = ContinuousClock.now
            } else if ContinuousClock.now - stalledSince > .seconds(120) {
                throw HubTestError(
                    "the agent stopped making progress before every order shipped: \(now)\n\(try Self.openWork(station, store))"
                        + "\n--- agent log ---\n\(agent.log.suffix(4000))"
                )
            }
            return false
        }
        try await check(station, store, into: &outcome)
        if agent.stop() != 0 { outcome.problems.append("the final agent did not stop cleanly") }
        return outcome
    }

    /// What is left to do, in words: orders not shipped (or cancelled), print jobs not printed, open conflicts.
    private static func openWork(_ station: AutonomousStation, _ store: WaybillStore) throws -> String {
        let orders = try station.stationOrders(store).filter { $0.state != .shipped && $0.state != .cancelled }.map {
            "\($0.id) \($0.state.rawValue)"
        }
        let jobs = try store.recentPrintJobs(limit: 1_000_000).filter { $0.state != .printed }.map { "\($0.labelID) \($0.state.rawValue)" }
        let open = Set(try station.stationOrders(store).filter { $0.state != .shipped && $0.state != .cancelled }.map(\.id))
        let conflicts = try store.conflicts(openOnly: false).filter { $0.state == "needs_person" || open.contains($0.entityID) }
            .map { "#\($0.id) \($0.rule) \($0.entityID) \($0.state): \($0.reason)" }
        let status = try store.status()
        return "open orders: \(orders.prefix(20)); print jobs not printed: \(jobs.prefix(20)); their conflicts: \(conflicts.prefix(20)); "
            + "outbox \(status.outboxDepth), dead letters \(status.deadLetters)"
    }

    /// What moves while the autonomous mode works: labels printed or queued, orders shipped, operations pushed.
    private static func progress(_ station: AutonomousStation, _ store: WaybillStore) throws -> [Int] {
        let jobs = try store.printJobCounts()
        let status = try store.status()
        let orders = try store.orderCounts()
        return [jobs[.printed] ?? 0, jobs.values.reduce(0, +), orders[.shipped] ?? 0, orders[.packed] ?? 0, status.outboxDepth]
    }

    private func check(_ station: AutonomousStation, _ store: WaybillStore, into outcome: inout Outcome) async throws {
        let captures = station.captureCounts()
        outcome.labelsPrinted = captures.count
        for (labelID, count) in captures where count > 1 {
            outcome.problems.append("label \(labelID) reached the printers \(count) times")
        }
        let orders = try station.stationOrders(store)
        let jobs = try store.recentPrintJobs(limit: 1_000_000)
        let printed = Set(jobs.filter { $0.state == .printed }.map(\.labelID))
        // A job cancelled while CUPS was printing it may or may not have reached the printer; its record says so.
        let cutShort = Set(jobs.filter { $0.reason?.contains("while it was printing") == true }.map(\.labelID))
        let captured = Set(captures.keys)
        if !printed.isSubset(of: captured) || !captured.subtracting(cutShort).isSubset(of: printed) {
            outcome.problems.append(
                "print jobs printed but never captured: \(printed.subtracting(captured).sorted()); "
                    + "captured without a printed job: \(captured.subtracting(cutShort).subtracting(printed).sorted())"
            )
        }
        // A job that did not print was withdrawn by the conflict rules: its label voided or replaced
        // (a box document showing the old address), or its order cancelled.
        var withdrawable: Set<String> = []
        for order in orders {
            for label in try store.orderLabels(orderID: order.id) where label.voided || label.replaced || order.state == .cancelled {
                withdrawable.insert(label.labelID)
            }
        }
        for job in jobs
        where job.state != .printed
            && !(plan.storefront && job.state == .failed && withdrawable.contains(job.labelID)
                && job.withdrawal.map { job.reason?.hasPrefix($0) == true } == true)
        {
            outcome.problems.append("print job \(job.labelID) is \(job.state.rawValue), not printed")
        }

        for order in orders {
            if plan.storefront, order.state == .cancelled {
                outcome.ordersCancelled += 1
                continue
            }
            guard order.state == .shipped else {
                outcome.problems.append("order \(order.id) is \(order.state.rawValue), not shipped")
                continue
            }
            outcome.ordersShipped += 1
            guard let boxes = try store.shipment(orderID: order.id)?.boxes.count else {
                outcome.problems.append("order \(order.id) shipped without a box plan")
                continue
            }
            let labels = try store.orderLabels(orderID: order.id)
            outcome.documentsReplaced += labels.filter(\.replaced).count
            for box in 1...max(boxes, 1) {
                for kind in [LabelToPrint.Kind.box, .slip, .carrier] {
                    let mine = labels.filter { $0.boxNo == box && $0.kind == kind && !$0.voided && !$0.replaced }
                    let printed = mine.map { captures[$0.labelID] ?? 0 }.reduce(0, +)
                    if mine.count != 1 || printed != 1 {
                        outcome.problems.append(
                            "order \(order.id) shipped with box \(box)'s \(kind.rawValue) label printed \(printed) times (\(mine.map(\.labelID)))"
                        )
                    }
                }
            }
        }

        if plan.storefront {
            try await Self.checkStorefront(station, store, orders: orders, into: &outcome)
        } else {
            try await checkHub(station, store, orders: orders, jobs: jobs, into: &outcome)
        }
    }

    /// The hub took each fact once and agrees with the replica.
    private func checkHub(
        _ station: AutonomousStation,
        _ store: WaybillStore,
        orders: [ReplicaOrder],
        jobs: [PrintJobRecord],
        into outcome: inout Outcome
    ) async throws {
        // Every delivery, repeats included: a key may arrive many times, it takes effect once.
        let deliveries = try await station.station.hub.deliveries().filter { $0.stationID == "station-1" }
        outcome.deliveries = Dictionary(grouping: deliveries, by: \.outcome).mapValues(\.count)
        var applications: [String: Int] = [:]
        for delivery in deliveries where delivery.outcome == .applied { applications[delivery.idempotencyKey, default: 0] += 1 }
        for (key, count) in applications where count > 1 {
            outcome.problems.append("the hub applied key \(key) \(count) times")
        }
        for delivery in deliveries where delivery.reason == "idempotency_key_reused" {
            outcome.problems.append("the hub refused key \(delivery.idempotencyKey) (\(delivery.type)): its retry asked for something else")
        }
        let ledger = try await station.ledger()
        let operationsApplied = deliveries.filter { $0.outcome == .applied && $0.type != "label_purchase" }.count
        if operationsApplied != ledger.filter({ $0.type != "label_purchase" }).count {
            outcome.problems.append("\(operationsApplied) operations applied at delivery, but the ledger holds another number")
        }
        var facts: [String: Int] = [:]
        for entry in ledger where [OperationKind.claim, .pack, .labelRequest, .ship].map(\.rawValue).contains(entry.type) {
            facts["\(entry.type) \(entry.entityID)", default: 0] += 1
        }
        for (fact, count) in facts where count > 1 {
            outcome.problems.append("the hub applied \(fact) \(count) times")
        }
        let shipped = Set(ledger.filter { $0.type == OperationKind.ship.rawValue }.map(\.entityID))
        if shipped != Set(orders.map(\.id)) {
            outcome.problems.append("the hub's shipped orders differ from the station's: \(shipped.symmetricDifference(orders.map(\.id)).sorted())")
        }
        let printedOperations = ledger.filter { $0.type == OperationKind.printed.rawValue }.count
        if printedOperations != jobs.count {
            outcome.problems.append("the hub took \(printedOperations) printed operations for \(jobs.count) print jobs")
        }
        if try store.replicaVersions(of: .order) != (try await station.station.hub.view(station: "station-1")) {
            outcome.problems.append("the replica's orders differ from the hub's view of the station")
        }
    }
}
