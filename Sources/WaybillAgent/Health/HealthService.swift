import Logging
import ServiceLifecycle
import WaybillCore
import WaybillStore

/// Keeps the health model current: refreshes ``StationHealth`` at start and every ``interval``, on
/// the blocking lane (it reads the store and the file systems), sets the health gauges and sends
/// systemd the station's status line whenever it changes. (`waybill status`, `/healthz` and
/// `/metrics` refresh it themselves when asked, so they are never a tick behind.)
struct HealthService: Service, CustomStringConvertible {
    let health: StationHealth
    let metrics: AgentMetrics
    let notifier: SystemdNotifier
    let settings: RuntimeSettings
    /// The default poll interval: often enough for the status line and the logs, and an idle
    /// agent's reads stay rare (measured: a 2 s tick cost an idle agent 0.05 % of a core).
    var interval: Duration = .seconds(5)

    var description: String { "HealthService" }

    func run() async {
        await untilShutdownOnBlockingLane {
            var line: String?
            while !Task.isCancelled {
                health.refresh()
                let last = health.last
                metrics.recordHealth(last.problems, disks: last.disks)
                if notifier.isEnabled {
                    let next = statusLine(last)
                    if next != line { notifier.status(next) }
                    line = next
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// "ok; online, 0 pending, printer label idle" or "degraded: disk full (spool) … (+2 more); …".
    private func statusLine(_ last: StationHealth.Snapshot) -> String {
        let connectivity = health.syncOff == nil ? last.connectivity ?? "not synced yet" : "sync off (no station secret)"
        let printer = settings.labelPrinter.map { "\($0) \(metrics.printerState($0) ?? "state unknown")" }
        return StationStatusLine.make(
            problems: last.problems,
            connectivity: connectivity,
            status: last.status,
            printer: printer,
            scale: health.scale?().shortText
        )
    }
}
