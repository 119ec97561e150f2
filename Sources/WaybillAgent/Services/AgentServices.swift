import Logging
import ServiceLifecycle
import WaybillStore

/// The long-running services of one agent, composed for its `ServiceGroup`.
struct AgentServices {
    let configuration: StationConfiguration
    let store: WaybillStore
    let logger: Logger

    var all: [any Service] {
        [StationMonitorService(store: store, interval: configuration.pollInterval, logger: logger)]
    }
}
