import ArgumentParser
import WaybillStore

extension WaybillCommand {
    /// `waybill status`: the station's state, read from the database (no agent needed).
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the station: identity, schema, outbox, conflicts, cursors, print jobs, auto mode and printers.",
            discussion: """
                Exit codes: 0 ok; 3 degraded (a disk full or nearly full, database writes failing, never \
                synced, the central API unreachable, failing or refusing the station, the feed blocked, the \
                outbox not draining, refused operations, conflicts needing a person, quarantined changes, \
                failed print jobs, labels held, a printer faulty, missing or unreachable, clock skew, a silent \
                scale; the State line, the JSON "problems" and "health" say which, since when, what it \
                blocks and what to do; the running agent's health model when it runs, the same rules \
                otherwise); 1 the status could not be read.
                """
        )

        /// The exit code of a degraded station.
        static let degraded = ExitCode(3)

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let (configuration, store) = try await global.openStore()
            let report = try await StatusReport.read(
                configuration: configuration,
                store: store,
                scale: await ScaleState.read(configuration: configuration)
            )
            print(global.json ? try report.json() : report.text())
            if !report.problems.isEmpty { throw Self.degraded }
        }
    }
}
