import ArgumentParser
import WaybillCore
import WaybillPrint
import WaybillStore

extension WaybillCommand.Labels {
    /// `waybill labels drill`: prints generated test labels through the spooler and follows them
    /// until printed; rerun after a crash, it finishes the same labels without printing any twice.
    /// Used to commission a station and by the crash test; hidden from help.
    struct Drill: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print COUNT numbered test labels through the spooler, exactly once each, even across restarts.",
            shouldDisplay: false
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "How many labels (DRILL-0 ... DRILL-<count-1>).") var count = 20
        @Option(help: "The queue (default: printers.label).") var printer: String?

        func validate() throws {
            guard (1...10_000).contains(count) else { throw ValidationError("--count must be 1-10000") }
        }

        func run() async throws {
            let configuration = try await global.loadConfiguration()
            guard let queue = printer ?? configuration.labelPrinter else { throw ValidationError("set printers.label or pass --printer") }
            let store = try WaybillStore.open(atPath: configuration.storePath)
            let spooler = try PrintComposition.spooler(
                configuration: configuration,
                logger: global.logger("waybill.print", configuration: configuration)
            )
            // Reconcile what an earlier run left before adding anything.
            await spooler.pass()
            for index in 0..<count where try store.printJob(labelID: "DRILL-\(index)") == nil {
                let label = WaybillCommand.Printers.Test.testLabel("DRILL-\(index)")
                try await spooler.print(ZPLRenderer(fonts: LabelFonts.shared).render(label), labelID: "DRILL-\(index)", format: .zpl, printer: queue)
            }
            while try !store.openPrintJobs().isEmpty {
                try await Task.sleep(for: .milliseconds(100))
                await spooler.pass()
            }
            print("\(count) drill labels printed")
        }
    }
}
