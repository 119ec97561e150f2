import ArgumentParser
import WaybillPrint

extension WaybillCommand.Printers {
    /// `waybill printers list`: every queue of the configured CUPS server.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the CUPS queues with their state and reasons.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let configuration = try await global.loadConfiguration()
            let client = CupsClient(server: configuration.cupsServer)
            var queues = try await client.printers()
            // A configured queue CUPS does not have is the first thing an operator must see.
            for name in PrintComposition.configuredPrinters(configuration) where !queues.contains(where: { $0.name == name }) {
                queues.append(PrinterStatus(name: name, state: .stopped, reasons: ["queue-missing"], isAccepting: false, message: ""))
            }
            if global.json {
                try CommandJSON.print(
                    object:
                        queues.map { queue in
                            var object = queue.json
                            if queue.reasons == ["queue-missing"] {
                                object["fault"] = PrintError.Code.queueMissing.rawValue
                                object["action"] = PrintError.fault(.queueMissing, printer: queue.name).message
                            }
                            return object
                        }
                )
            } else {
                for queue in queues {
                    print(
                        queue.reasons == ["queue-missing"]
                            ? "\(queue.name)  missing\n  -> \(PrintError.fault(.queueMissing, printer: queue.name).message)" : queue.line
                    )
                }
                if queues.isEmpty { print("no CUPS queues") }
            }
        }
    }
}
