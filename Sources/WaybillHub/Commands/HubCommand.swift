public import ArgumentParser

/// `waybill-hub`: the reference central server the agent, the demo and the integration tests talk to.
public struct HubCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "waybill-hub",
        abstract: "Reference central server for Waybill stations: the central API, seeded data, faults and a ledger.",
        version: "0.1.0",
        subcommands: [Serve.self, Seed.self, Station.self, Admin.self, Bench.self]
    )

    public init() {}
}
