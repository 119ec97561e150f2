public import ArgumentParser

/// `waybill`: the station agent and its administration commands.
public struct WaybillCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "waybill",
        abstract: "Offline-first agent for a warehouse packing station.",
        discussion: """
            Exit codes: 0 success; 1 failure (the message says what to do); 3 degraded (`waybill status`); 64 bad usage.
            """,
        version: WaybillVersion.current,
        subcommands: [
            Agent.self, Status.self, Doctor.self, Diagnose.self, Sync.self, Resync.self, Outbox.self, Conflicts.self, Orders.self, Pack.self,
            Ship.self, Auto.self, Printers.self, Labels.self, Quarantine.self, Packers.self, Report.self,
        ]
    )

    public init() {}
}
