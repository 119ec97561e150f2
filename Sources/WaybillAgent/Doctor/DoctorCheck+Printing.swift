import WaybillPrint

extension DoctorCheck {
    /// The printing checks: CUPS reachable and each configured queue (`printers.label`,
    /// `printers.document`) present and accepting jobs; none when no printer is configured.
    ///
    /// One ``DoctorCheck`` per fact, named `cups reachable` and `printer NAME`, after the hub's.
    static func printing(for configuration: StationConfiguration, probe: PrinterProbe? = nil) async -> [DoctorCheck] {
        let queues = PrintComposition.configuredPrinters(configuration)
        guard !queues.isEmpty else { return [] }
        let probe = probe ?? PrinterProbe(server: configuration.cupsServer)
        let server = configuration.cupsServer ?? "the default CUPS server"
        var outcomes: [(String, PrinterProbe.Outcome)] = []
        for queue in queues { outcomes.append((queue, await probe.probe(queue))) }
        if case .unreachable(let why)? = outcomes.first?.1 {
            return [DoctorCheck(name: "cups reachable", ok: false, detail: "\(server): \(why); start cupsd or fix cups.server")]
                + queues.map { DoctorCheck(name: "printer \($0)", ok: false, detail: "not checked: CUPS does not answer") }
                + (configuration.documentPrinter == nil ? [] : [documentFonts()])
        }
        return [DoctorCheck(name: "cups reachable", ok: true, detail: server)] + outcomes.map { queue, outcome in printer(queue, outcome) }
            + (configuration.documentPrinter == nil ? [] : [documentFonts()])
    }

    /// Whether slips can show every customer's name: the Unicode fonts they embed (``LabelFonts``).
    static func documentFonts(from folder: String = LabelFonts.folder) -> DoctorCheck {
        do {
            let fonts = try LabelFonts.load(from: folder)
            let fallbacks =
                fonts.fallbacks.isEmpty
                ? "no fallback fonts: Chinese, Japanese, Korean and Devanagari print as ? (install fonts-droid-fallback, fonts-nanum, fonts-noto-core)"
                : "for other scripts " + fonts.fallbacks.map(\.postScriptName).joined(separator: ", ")
            return DoctorCheck(
                name: "document fonts",
                ok: true,
                detail: "\(fonts.regular.postScriptName) and \(fonts.bold.postScriptName) in \(folder); \(fallbacks)"
            )
        } catch {
            return DoctorCheck(
                name: "document fonts",
                ok: false,
                detail: "\(error); slips fall back to Helvetica, which prints Latin-1 only (other scripts become ?)"
            )
        }
    }

    static func printer(_ queue: String, _ outcome: PrinterProbe.Outcome) -> DoctorCheck {
        let name = "printer \(queue)"
        switch outcome {
        case .status(let status):
            guard status.isAccepting else {
                return DoctorCheck(name: name, ok: false, detail: PrintError.fault(.queueRejecting, printer: queue).message)
            }
            let reasons = status.reasons.isEmpty ? "" : " (\(status.reasons.joined(separator: ", ")))"
            if let fault = status.fault {
                return DoctorCheck(name: name, ok: false, detail: fault.message)
            }
            return DoctorCheck(name: name, ok: true, detail: "present, accepting jobs, \(status.state.rawValue)\(reasons)")
        case .failed(let error):
            let message = error.code == .notFound ? PrintError.fault(.queueMissing, printer: queue).message : error.message
            return DoctorCheck(name: name, ok: false, detail: message)
        case .unreachable(let why):
            return DoctorCheck(name: name, ok: false, detail: why)
        }
    }
}
