import ArgumentParser
import WaybillStore

extension WaybillCommand {
    /// `waybill status`: the station's state, read from the database (no agent needed).
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the station: identity, schema, outbox, conflicts, cursors, print jobs, auto mode and printers.",
            discussion: """
                Exit codes: 0 ok; 3 degraded (never synced, offline or degraded connectivity, outbox not \
                draining, refused operations, conflicts needing a person, unreadable changes, failed print \
                jobs, labels held by a printer fault, a configured printer faulty, missing or unreachable; \
                the State line and the JSON "problems" say which); 1 the status could not be read.
                """
        )

        /// The exit code of a degraded station.
        static let degraded = ExitCode(3)

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let configuration = try await global.loadConfiguration()
            let store = try WaybillStore.open(atPath: configuration.storePath)
            let identity = try store.identity(for: configuration.stationID)
            let printing = try await PrintingStatus.read(configuration: configuration, store: store)
            let report = StatusReport(
                configuration: configuration,
                identity: identity,
                status: try store.status(),
                syncState: try store.syncState(),
                printing: printing,
                scale: await ScaleState.read(configuration: configuration)
            )
            print(global.json ? try report.json() : report.text())
            if !report.problems.isEmpty { throw Self.degraded }
        }
    }
}
