import Foundation
import Testing
import WaybillTestSupport

/// The chaos harness (``ChaosRun``) in every CI run: at least 50 SIGKILLs of the autonomous agent
/// and 2 of the hub, faults on, then every promise checked. `WAYBILL_CHAOS_KILLS` changes the number
/// of agent kills (`packaging/dev.sh long` runs 1,000).
@Suite(.serialized) struct ChaosTests {
    @Test(.timeLimit(.minutes(20)))
    func autonomousStation_underKillsAndHubFaults_printsEveryLabelOnce_andShipsNothingIncomplete() async throws {
        let kills = Int(ProcessInfo.processInfo.environment["WAYBILL_CHAOS_KILLS"] ?? "") ?? 50
        let outcome = try await ChaosRun(plan: ChaosRun.Plan(agentKills: kills)).run()
        print(outcome.summary)
        #expect(outcome.agentKillsLanded == kills, "every scheduled kill should land on a running agent")
        #expect(outcome.hubKillsLanded == 2)
        #expect(outcome.faultsFired.values.reduce(0, +) > 0, "the hub injected no fault")
        #expect(outcome.ordersShipped > 0)
        // A short run (dev.sh long's smoke run in CI: 3 kills, a few dozen requests) may repeat no
        // delivery at all; from 20 kills on, one that repeats none did not test idempotency.
        if kills >= 20 {
            #expect((outcome.deliveries[.duplicate] ?? 0) > 0, "no delivery was repeated: the faults and kills did not test idempotency")
        }
        #expect(outcome.problems.isEmpty, "\(outcome.problems.count) broken promises: \(outcome.problems.prefix(20).joined(separator: "\n"))")
    }
}
