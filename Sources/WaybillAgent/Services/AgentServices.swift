import Logging
import ServiceLifecycle
import WaybillStore
import WaybillSync

/// The long-running services of one agent, composed for its `ServiceGroup`.
struct AgentServices {
    let configuration: StationConfiguration
    let store: WaybillStore
    let logger: Logger
    /// The sync engine, when the station has credentials.
    let engine: SyncEngine?
    let wake = WakeSignal()

    var all: [any Service] {
        var services: [any Service] = [
            ControlService(
                path: ControlSocket.path(storePath: configuration.storePath),
                store: store,
                wake: wake,
                syncEnabled: engine != nil,
                logger: logger
            )
        ]
        if let engine {
            services.append(SyncService(engine: engine, store: store, pollInterval: configuration.pollInterval, wake: wake, logger: logger))
        }
        return services
    }
}
