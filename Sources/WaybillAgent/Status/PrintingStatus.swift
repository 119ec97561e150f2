import WaybillCore
import WaybillPrint
import WaybillStore

/// The printing and auto-mode part of `waybill status`: the autonomous mode's switch, each
/// configured queue as CUPS reports it, and the labels held by a printer fault.
struct PrintingStatus: Encodable, Sendable {
    /// One configured queue.
    struct Printer: Encodable, Sendable {
        /// `label` or `document` (the configuration key under `printers`).
        let role: String
        let name: String
        /// `idle`, `processing`, `stopped`, `missing` or `unreachable`.
        let state: String
        let reasons: [String]
        let accepting: Bool
        /// What keeps it from printing, saying what to do; nil when it can print.
        let problem: String?
    }

    /// A label a printer fault holds back; the spooler prints it once the fault clears.
    struct HeldJob: Encodable, Sendable {
        let labelID: String
        let printer: String
        let reason: String

        enum CodingKeys: String, CodingKey {
            case labelID = "label_id"
            case printer, reason
        }
    }

    /// `off` (station.mode: manual), `running` or `paused` (`waybill auto pause`).
    let autoMode: String
    let printers: [Printer]
    let heldJobs: [HeldJob]

    enum CodingKeys: String, CodingKey {
        case autoMode = "auto_mode"
        case printers
        case heldJobs = "held_jobs"
    }

    /// The auto-mode word for a configuration switch and the stored pause.
    static func autoMode(enabled: Bool, paused: Bool) -> String {
        !enabled ? "off" : paused ? "paused" : "running"
    }

    /// Reads the switch and held jobs from the store and asks CUPS about each configured queue.
    static func read(configuration: StationConfiguration, store: WaybillStore, probe: PrinterProbe? = nil) async throws -> PrintingStatus {
        let queues = [("label", configuration.labelPrinter), ("document", configuration.documentPrinter)].compactMap { role, name in
            name.map { (role, $0) }
        }
        var printers: [Printer] = []
        if !queues.isEmpty {
            let probe = probe ?? PrinterProbe(server: configuration.cupsServer)
            for (role, name) in queues {
                printers.append(Self.printer(role: role, name: name, outcome: await probe.probe(name)))
            }
        }
        let held = try store.openPrintJobs().filter { $0.state == .held }.map {
            HeldJob(labelID: $0.labelID, printer: $0.printer, reason: $0.reason ?? "held by a printer fault")
        }
        return PrintingStatus(
            autoMode: autoMode(enabled: configuration.autoMode, paused: try store.autoModePaused()),
            printers: printers,
            heldJobs: held
        )
    }

    static func printer(role: String, name: String, outcome: PrinterProbe.Outcome) -> Printer {
        switch outcome {
        case .status(let status):
            Printer(
                role: role,
                name: name,
                state: status.state.rawValue,
                reasons: status.reasons,
                accepting: status.isAccepting,
                problem: status.fault?.message
            )
        case .failed(let error):
            Printer(
                role: role,
                name: name,
                state: error.code == .queueMissing || error.code == .notFound ? "missing" : "unknown",
                reasons: [],
                accepting: false,
                problem: error.code == .notFound ? PrintError.fault(.queueMissing, printer: name).message : error.message
            )
        case .unreachable(let why):
            Printer(role: role, name: name, state: "unreachable", reasons: [], accepting: false, problem: why)
        }
    }

    /// The text rows of `waybill status`.
    var rows: [(String, String)] {
        var rows = [("Auto mode", autoMode == "paused" ? "paused; `waybill auto resume` restarts it" : autoMode)]
        if printers.isEmpty { rows.append(("Printers", "none configured (printers.label, printers.document)")) }
        for printer in printers {
            let reasons = printer.reasons.isEmpty ? "" : " (\(printer.reasons.joined(separator: ", ")))"
            let accepting = printer.state == "unreachable" || printer.state == "missing" || printer.accepting ? "" : ", rejecting jobs"
            rows.append(("Printer", "\(printer.name) [\(printer.role)]: \(printer.state)\(reasons)\(accepting)"))
        }
        for job in heldJobs.prefix(10) {
            rows.append(("Held", "\(job.labelID) on \(job.printer): \(job.reason)"))
        }
        if heldJobs.count > 10 { rows.append(("Held", "... and \(heldJobs.count - 10) more; see `waybill labels list`")) }
        return rows
    }
}
