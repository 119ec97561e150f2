import Logging
import ServiceLifecycle

/// Runs the autonomous station mode: a round every `interval`, at once again while rounds find
/// work, sooner when woken (a sync cycle brought changes). Stops at once on graceful shutdown.
struct AutopilotService: Service, CustomStringConvertible {
    let autopilot: StationAutopilot
    let interval: Duration
    let wake: WakeSignal
    /// Counts rounds by outcome (`waybill_autopilot_rounds_total`), so tests and screens see pauses hold.
    let metrics: AgentMetrics
    /// Closed by a forced resync: no round runs while the replica is reset and downloaded again.
    let gate: RoundGate

    var description: String { "AutopilotService" }

    func run() async {
        await untilShutdownOnBlockingLane {
            while !Task.isCancelled {
                guard await gate.begin() else {
                    metrics.recordAutopilotRound(busy: false, paused: true)
                    await wake.wait(upTo: interval)
                    continue
                }
                let report = await autopilot.round()
                await gate.end()
                metrics.recordAutopilotRound(busy: report.busy, paused: report.paused)
                if report.busy { continue }
                await wake.wait(upTo: interval)
            }
        }
    }
}
