/// Why a label did not (yet) print, with what the operator should do about it.
///
/// Every code except `.jobCanceled` and `.spoolMissing` is a fault the spooler waits out: the label
/// stays spooled (held, with this reason) and prints once when the fault clears.
public struct PrintError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for callers to match on.
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// No CUPS queue has the printer's name.
        public static let queueMissing = Code(rawValue: "queue_missing")
        /// The queue is stopped (disabled or paused): jobs wait in CUPS.
        public static let queueDisabled = Code(rawValue: "queue_disabled")
        /// The queue refuses new jobs.
        public static let queueRejecting = Code(rawValue: "queue_rejecting")
        /// The printer is out of labels or paper.
        public static let mediaEmpty = Code(rawValue: "media_empty")
        /// CUPS cannot reach the printer itself.
        public static let deviceUnreachable = Code(rawValue: "device_unreachable")
        /// The agent cannot reach cupsd.
        public static let serverUnreachable = Code(rawValue: "server_unreachable")
        /// CUPS refused the request for another reason.
        public static let requestFailed = Code(rawValue: "request_failed")
        /// CUPS does not know the job (or has no queues at all).
        public static let notFound = Code(rawValue: "not_found")
        /// Someone cancelled the job in CUPS; it will not print unless reprinted.
        public static let jobCanceled = Code(rawValue: "job_canceled")
        /// The spooled file is gone.
        public static let spoolMissing = Code(rawValue: "spool_missing")
    }

    public let code: Code
    /// The queue involved, if any.
    public let printer: String?
    /// What happened and what to do, for the operator.
    public let message: String

    public init(_ code: Code, printer: String?, _ message: String) {
        self.code = code
        self.printer = printer
        self.message = message
    }

    /// The standard operator message for a printer fault on `printer`.
    public static func fault(_ code: Code, printer: String, detail: String = "") -> PrintError {
        let suffix = detail.isEmpty ? "" : " (\(detail))"
        let message =
            switch code {
            case .queueMissing:
                "the CUPS queue \(printer) does not exist\(suffix); create it (lpadmin -p \(printer) ...) or fix printers.* in the configuration"
            case .queueDisabled:
                "the queue \(printer) is paused\(suffix); check the printer, then run `cupsenable \(printer)`"
            case .queueRejecting:
                "the queue \(printer) rejects jobs\(suffix); run `cupsaccept \(printer)` when the printer is ready"
            case .mediaEmpty:
                "printer \(printer) is out of labels\(suffix); load labels, close the printer, then run `cupsenable \(printer)` if CUPS paused it"
            case .deviceUnreachable:
                "CUPS cannot reach printer \(printer)\(suffix); check its power, cable or network"
            default:
                "printing on \(printer) failed\(suffix)"
            }
        return PrintError(code, printer: printer, message)
    }

    /// Whether the spooler keeps the label and retries on its own.
    public var isRetried: Bool { code != .jobCanceled && code != .spoolMissing }

    public var description: String { "print: \(message) [\(code)]" }
}
