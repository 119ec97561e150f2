import Logging
import ServiceLifecycle
import WaybillCore
import WaybillScale

/// Runs the bench scale's reader for the agent's lifetime: its thread reads the device, each new
/// state reaches `/metrics`, and the station screen reads the latest one.
struct ScaleService: Service, CustomStringConvertible {
    let reader: ScaleReader
    let metrics: AgentMetrics

    var description: String { "ScaleService" }

    func run() async {
        let metrics = metrics
        metrics.recordScale(reader.status)
        reader.onChange { metrics.recordScale($0) }
        reader.start()
        try? await gracefulShutdown()
        reader.stop()
    }
}
