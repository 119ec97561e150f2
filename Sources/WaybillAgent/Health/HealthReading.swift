import WaybillCore
import WaybillStore

/// The station's health for a command (`waybill status`, the support bundle): the running agent's
/// model, asked over the control socket, or, with no agent, the same rules over what this process
/// reads itself (the database, the disks, CUPS, the scale).
enum HealthReading {
    static func read(
        configuration: StationConfiguration,
        status: StoreStatus,
        syncState: [SyncStateKey: String],
        printing: PrintingStatus?,
        scale: ScaleState?
    ) async -> [HealthProblem] {
        let path = ControlSocket.path(storePath: configuration.storePath)
        let answer = try? await Task.detached { try ControlSocket.send(ControlSocket.Request(command: "health"), to: path) }.value
        if let health = answer?.health { return health }
        var facts = HealthFacts(status: status, syncState: syncState)
        let prints = configuration.labelPrinter != nil || configuration.documentPrinter != nil
        facts.measureDisks(storePath: configuration.storePath, spoolPath: prints ? configuration.spoolPath : nil)
        if let printing { facts.add(printing) }
        facts.add(scale)
        return HealthRules.problems(facts)
    }
}
