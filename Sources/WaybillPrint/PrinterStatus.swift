/// A CUPS queue as the printer panel shows it: state, reasons and whether it takes jobs.
public struct PrinterStatus: Sendable, Hashable, Codable {
    /// IPP `printer-state`.
    public enum State: String, Sendable, Hashable, Codable {
        case idle
        case processing
        case stopped
    }

    public let name: String
    public let state: State
    /// IPP `printer-state-reasons` without `none` (such as `media-empty-error`, `offline-report`, `paused`).
    public let reasons: [String]
    /// IPP `printer-is-accepting-jobs`.
    public let isAccepting: Bool
    /// IPP `printer-state-message`, often the backend's last words.
    public let message: String

    public init(name: String, state: State, reasons: [String], isAccepting: Bool, message: String) {
        self.name = name
        self.state = state
        self.reasons = reasons
        self.isAccepting = isAccepting
        self.message = message
    }

    /// The fault that keeps this queue from printing now, if any.
    public var fault: PrintError? {
        let detail = ([message] + reasons).filter { !$0.isEmpty }.joined(separator: ", ")
        if reasons.contains(where: { $0.hasPrefix("media-empty") || $0.hasPrefix("media-needed") }) {
            return .fault(.mediaEmpty, printer: name, detail: detail)
        }
        if reasons.contains(where: { $0.hasPrefix("offline") || $0.hasPrefix("connecting-to-device") }) {
            return .fault(.deviceUnreachable, printer: name, detail: detail)
        }
        if !isAccepting { return .fault(.queueRejecting, printer: name, detail: detail) }
        if state == .stopped { return .fault(.queueDisabled, printer: name, detail: detail) }
        return nil
    }
}

/// A job as CUPS reports it.
public struct CupsJob: Sendable, Hashable {
    /// IPP `job-state`.
    public enum State: Int, Sendable, Hashable {
        case pending = 3
        case held = 4
        case processing = 5
        case stopped = 6
        case canceled = 7
        case aborted = 8
        case completed = 9

        /// Whether CUPS is done with the job (completed, canceled or aborted).
        public var isFinal: Bool { rawValue >= 7 }
    }

    public let id: Int
    public let name: String
    public let state: State
    public let reasons: [String]

    public init(id: Int, name: String, state: State, reasons: [String]) {
        self.id = id
        self.name = name
        self.state = state
        self.reasons = reasons
    }
}
