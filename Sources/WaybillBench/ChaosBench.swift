import ArgumentParser
import Foundation
import WaybillTestSupport

/// `waybill-bench chaos`: the chaos harness for long runs (the test suite runs it with 50 kills).
/// The real agent in autonomous mode, printing through a private cupsd, against a real hub with
/// faults on, SIGKILLed on a seeded schedule; the hub killed and restarted too. Exits non-zero when
/// a kill did not land or a promise broke.
struct ChaosBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chaos",
        abstract: "SIGKILL the autonomous agent N times (and the hub twice) under faults, then check every label, order and fact."
    )

    @Option(help: "SIGKILLs of the agent.") var kills = 1_000
    @Option(name: .customLong("hub-kills"), help: "Kills and restarts of the hub, spread over the run.") var hubKills = 2
    @Option(help: "Orders the hub is seeded with (more are created as the station ships them).") var orders = 300
    @Option(help: "The hub's fault spec while the kills go on.") var faults = ChaosRun.Plan().faults
    @Option(help: "The seed of the kill schedule and of the orders created.") var seed: UInt64 = 2026
    @Flag(help: "Storefront mode: the station runs against the hub's Shopify and ShipEngine emulators, with edits in the store.")
    var storefront = false

    func run() async throws {
        var plan = ChaosRun.Plan(agentKills: kills, storefront: storefront)
        plan.hubKills = hubKills
        plan.orders = orders
        plan.faults = faults
        plan.seed = seed
        let started = ContinuousClock.now
        let outcome = try await ChaosRun(plan: plan).run()
        print(outcome.summary)
        print(String(format: "took %.0f s", (ContinuousClock.now - started).seconds))
        var failures = outcome.problems
        if outcome.agentKillsLanded != kills { failures.append("\(outcome.agentKillsLanded) of \(kills) agent kills landed") }
        if outcome.hubKillsLanded != hubKills { failures.append("\(outcome.hubKillsLanded) of \(hubKills) hub kills landed") }
        guard failures.isEmpty else {
            throw BenchError("\(failures.count) broken promises:\n" + failures.prefix(50).joined(separator: "\n"))
        }
        print("every promise kept")
    }
}
