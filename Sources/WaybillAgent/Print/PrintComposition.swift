public import Logging
public import WaybillPrint
import WaybillStore

/// Builds the print spooler from the station's configuration: what the agent's print service runs
/// and what `waybill labels` uses.
public enum PrintComposition {
    /// A spooler over the station's store, spool folder and CUPS server (`cups.server`, `spool.path`).
    public static func spooler(configuration: StationConfiguration, logger: Logger) throws -> PrintSpooler {
        let store = try WaybillStore.open(atPath: configuration.storePath)
        return PrintSpooler(
            client: CupsClient(server: configuration.cupsServer),
            ledger: StorePrintJobLedger(store: store),
            spool: Spool(directory: configuration.spoolPath),
            logger: logger,
            blockingLane: BlockingExecutor.shared
        )
    }

    /// The queues the configuration names (`printers.label`, `printers.document`), label printer first.
    public static func configuredPrinters(_ configuration: StationConfiguration) -> [String] {
        [configuration.labelPrinter, configuration.documentPrinter].compactMap { $0 }
    }
}
