import Foundation
import Testing
import WaybillTestSupport

/// The chaos harness (``ChaosRun``) in every CI run: at least 50 SIGKILLs of the autonomous agent
/// and 2 of the hub, faults on, then every promise checked; and 30 again in storefront mode.
/// `WAYBILL_CHAOS_KILLS` changes the number of agent kills (`packaging/dev.sh long` runs 1,000).
@Suite(.serialized) struct ChaosTests {
    /// Agent kills: `WAYBILL_CHAOS_KILLS`, else `standard`.
    static func kills(_ standard: Int) -> Int {
        Int(ProcessInfo.processInfo.environment["WAYBILL_CHAOS_KILLS"] ?? "") ?? standard
    }

    /// Runs the harness and checks what every run must show: the kills landed, faults fired,
    /// orders shipped and no promise broken.
    static func run(_ plan: ChaosRun.Plan) async throws -> ChaosRun.Outcome {
        let outcome = try await ChaosRun(plan: plan).run()
        print(outcome.summary)
        #expect(outcome.agentKillsLanded == plan.agentKills, "every scheduled kill should land on a running agent")
        #expect(outcome.hubKillsLanded == 2)
        #expect(outcome.faultsFired.values.reduce(0, +) > 0, "the hub injected no fault")
        #expect(outcome.ordersShipped > 0)
        #expect(outcome.problems.isEmpty, "\(outcome.problems.count) broken promises: \(outcome.problems.prefix(20).joined(separator: "\n"))")
        return outcome
    }

    @Test(.timeLimit(.minutes(20)))
    func autonomousStation_underKillsAndHubFaults_printsEveryLabelOnce_andShipsNothingIncomplete() async throws {
        let outcome = try await Self.run(ChaosRun.Plan(agentKills: Self.kills(50)))
        // A short run (dev.sh long's smoke run in CI: 3 kills, a few dozen requests) may repeat no
        // delivery at all; from 20 kills on, one that repeats none did not test idempotency.
        if outcome.agentKillsLanded >= 20 {
            #expect((outcome.deliveries[.duplicate] ?? 0) > 0, "no delivery was repeated: the faults and kills did not test idempotency")
        }
    }

    /// The harness in storefront mode: the station takes a Shopify store's fulfillment orders and buys
    /// ShipEngine labels (both emulated by the hub, faults on), while customers change addresses and
    /// cancel orders in the store; 30 SIGKILLs of the agent and 2 of the hub. Every fulfillment is
    /// created once with all its tracking numbers, every label bought once per box, none left live
    /// after a relabel or an intercept (``ChaosRun/checkStorefront(_:_:orders:into:)``).
    @Test(.timeLimit(.minutes(20)))
    func storefrontStation_underKillsFaultsAndStoreEdits_fulfilsEachOrderOnce_andVoidsEveryReplacedLabel() async throws {
        let outcome = try await Self.run(ChaosRun.Plan(agentKills: Self.kills(30), storefront: true))
        if outcome.agentKillsLanded >= 20 {
            #expect(outcome.addressEdits > 0 && outcome.labelsVoided > 0, "no label was replaced: the run did not test relabelling")
            #expect(outcome.cancellations > 0, "no order was cancelled in the store")
        }
    }
}
