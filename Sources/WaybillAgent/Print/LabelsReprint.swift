import ArgumentParser
import WaybillPrint
import WaybillStore

extension WaybillCommand.Labels {
    /// `waybill labels reprint LABEL_ID --reason TEXT`: queues a recorded reprint for the agent to print.
    struct Reprint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reprint a label; the reason is required and recorded. The running agent prints it."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The label id (from `waybill labels list`).") var labelID: String
        @Option(help: "Why it is printed again (recorded).") var reason: String

        func validate() throws {
            guard !reason.allSatisfy(\.isWhitespace) else { throw ValidationError("--reason must say why the label is printed again") }
        }

        func run() async throws {
            let (configuration, store) = try await global.openStore()
            if let replaced = try store.replacement(ofDocument: labelID) {
                throw ValidationError(
                    "\(labelID) was replaced (\(replaced)): it no longer matches the parcel; "
                        + "reprint the order's current box label or slip (`waybill labels list`)"
                )
            }
            let spooler = try PrintComposition.spooler(
                configuration: configuration,
                logger: global.logger("waybill.print", configuration: configuration)
            )
            let job = try await spooler.recordReprint(labelID: labelID, reason: reason)
            ControlSocket.nudge(storePath: configuration.storePath)
            if global.json {
                try CommandJSON.print(object: job.json)
            } else {
                print("reprint \(job.labelID) of \(labelID) queued on \(job.printer); the agent prints it")
            }
        }
    }
}
