import CCups
public import WaybillCore

/// A client of one CUPS server that submits labels with one IPP request each and follows their jobs.
///
/// Every libcups call runs on one dedicated thread (libcups keeps per-thread state and blocks), so the
/// async methods never block the cooperative pool. The connection and each queue's destination and
/// destination info are cached; a transport error drops them and the next call reconnects.
public final class CupsClient: Sendable {
    private let thread: ConfinedThread<CupsSession>

    /// - Parameter server: `host:port` or a domain socket path; `nil` uses libcups' default
    ///   (`CUPS_SERVER`, client.conf, then the local scheduler).
    public init(server: String?) {
        thread = ConfinedThread(name: "waybill.cups") { CupsSession(server: server) }
    }

    deinit { thread.stop { $0.reset() } }

    /// Sends one label to `printer` as one IPP Print-Job request, named `jobName` (the label id).
    ///
    /// - Returns: CUPS's job id. CUPS accepted the job; it has not necessarily printed yet.
    /// - Throws: ``PrintError`` (`.queueMissing`, `.queueRejecting`, `.serverUnreachable`, `.requestFailed`).
    public func submit(_ document: [UInt8], format: LabelFormat, printer: String, jobName: String) async throws(PrintError) -> Int {
        try await thread.perform { (session: CupsSession) throws(PrintError) -> Int in
            try Self.printJob(session, document, format: format, printer: printer, jobName: jobName)
        }
    }

    /// Sends several labels back to back, one IPP Print-Job each (named after its label id), in
    /// order, as ``submit(_:format:printer:jobName:)`` would; each gets its own answer.
    public func submit(_ labels: [PrintSpooler.LabelRequest]) async -> [Result<Int, PrintError>] {
        await thread.perform { (session: CupsSession) -> [Result<Int, PrintError>] in
            labels.map { label in
                Result { () throws(PrintError) -> Int in
                    try Self.printJob(session, label.bytes, format: label.format, printer: label.printer, jobName: label.labelID)
                }
            }
        }
    }

    static func printJob(_ session: CupsSession, _ document: [UInt8], format: LabelFormat, printer: String, jobName: String) throws(PrintError)
        -> Int
    {
        try session.destination(printer)
        let request = request(IPP_OP_PRINT_JOB, printer: printer)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", nil, jobName)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_MIMETYPE, "document-format", nil, mimeType(format))
        let response = try session.send(request, resource: "/printers/\(printer)", printer: printer, document: document)
        guard let id = response.integer("job-id") else {
            throw PrintError(.requestFailed, printer: printer, "CUPS accepted the job but sent no job id; see the CUPS error log")
        }
        return id
    }

    /// The job `id`, or `nil` when CUPS no longer knows it (IPP client-error-not-found only: any
    /// other failure throws, so a busy CUPS is never taken for a lost job).
    public func job(_ id: Int) async throws(PrintError) -> CupsJob? {
        try await thread.perform { (session: CupsSession) throws(PrintError) -> CupsJob? in
            let request = Self.request(IPP_OP_GET_JOB_ATTRIBUTES, printer: nil)
            ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", nil, "ipp://localhost/jobs/\(id)")
            Self.requestAttributes(request, ["job-id", "job-name", "job-state", "job-state-reasons"])
            do throws(PrintError) {
                let response = try session.send(request, resource: "/jobs/", printer: nil)
                return response.groups(of: IPP_TAG_JOB).first.flatMap(Self.job)
            } catch  where error.code == .notFound {
                return nil
            }
        }
    }

    /// Asks CUPS to cancel job `id` (IPP Cancel-Job). CUPS refuses for a job it has finished; the
    /// caller reads the job's state afterwards either way.
    public func cancel(_ id: Int) async throws(PrintError) {
        try await thread.perform { (session: CupsSession) throws(PrintError) in
            let request = Self.request(IPP_OP_CANCEL_JOB, printer: nil)
            ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", nil, "ipp://localhost/jobs/\(id)")
            _ = try session.send(request, resource: "/jobs/", printer: nil)
        }
    }

    /// Every job CUPS keeps for `printer` (with job history on, finished ones too), oldest first.
    /// A restarted agent finds a label's job by its name here.
    public func jobs(printer: String) async throws(PrintError) -> [CupsJob] {
        try await thread.perform { (session: CupsSession) throws(PrintError) -> [CupsJob] in
            // cupsd answers at most 500 jobs per Get-Jobs: page with first-index, or a label sent before
            // 500 later ones would not be found by name and would be sent again.
            var jobs: [CupsJob] = []
            var seen = Set<Int>()
            var firstIndex: Int32 = 1
            while true {
                let request = Self.request(IPP_OP_GET_JOBS, printer: printer)
                ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "which-jobs", nil, "all")
                ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "first-index", firstIndex)
                ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "limit", Self.jobsPageSize)
                Self.requestAttributes(request, ["job-id", "job-name", "job-state", "job-state-reasons"])
                let response = try session.send(request, resource: "/", printer: printer)
                let page = response.groups(of: IPP_TAG_JOB).compactMap(Self.job)
                let fresh = page.filter { seen.insert($0.id).inserted }
                jobs += fresh
                // A short page is the last; a page of nothing new means the server ignores first-index.
                guard page.count >= Int(Self.jobsPageSize), !fresh.isEmpty else { break }
                firstIndex += Self.jobsPageSize
            }
            // Past its in-memory history cupsd lists old jobs without their names; ask for each one,
            // which loads it (only reconciliation after a crash needs this list).
            for (index, job) in jobs.enumerated() where job.name.isEmpty {
                let request = Self.request(IPP_OP_GET_JOB_ATTRIBUTES, printer: nil)
                ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", nil, "ipp://localhost/jobs/\(job.id)")
                Self.requestAttributes(request, ["job-id", "job-name", "job-state", "job-state-reasons"])
                if let loaded = try? session.send(request, resource: "/jobs/", printer: nil).groups(of: IPP_TAG_JOB).first.flatMap(Self.job) {
                    jobs[index] = loaded
                }
            }
            return jobs.sorted { $0.id < $1.id }
        }
    }

    /// Jobs per Get-Jobs request (cupsd's own cap is 500).
    static let jobsPageSize: Int32 = 500

    /// The queue's state, reasons and whether it accepts jobs.
    public func status(of printer: String) async throws(PrintError) -> PrinterStatus {
        try await thread.perform { (session: CupsSession) throws(PrintError) -> PrinterStatus in
            let request = Self.request(IPP_OP_GET_PRINTER_ATTRIBUTES, printer: printer)
            Self.requestAttributes(request, Self.printerAttributes)
            let response = try session.send(request, resource: "/", printer: printer)
            guard let group = response.groups(of: IPP_TAG_PRINTER).first else {
                throw PrintError.fault(.queueMissing, printer: printer)
            }
            return Self.printerStatus(group, name: printer)
        }
    }

    /// Every queue of the server with its state (one CUPS-Get-Printers request).
    public func printers() async throws(PrintError) -> [PrinterStatus] {
        try await thread.perform { (session: CupsSession) throws(PrintError) -> [PrinterStatus] in
            let request = Self.request(IPP_OP_CUPS_GET_PRINTERS, printer: nil)
            Self.requestAttributes(request, Self.printerAttributes)
            let response: IPPResponse
            do throws(PrintError) {
                response = try session.send(request, resource: "/", printer: nil)
            } catch  where error.code == .notFound {
                return []  // client-error-not-found: no queues at all
            }
            return response.groups(of: IPP_TAG_PRINTER).map { Self.printerStatus($0, name: $0.texts("printer-name").first ?? "?") }
                .sorted { $0.name < $1.name }
        }
    }

    static let printerAttributes = [
        "printer-name", "printer-state", "printer-state-reasons", "printer-is-accepting-jobs", "printer-state-message",
    ]

    static func request(_ operation: ipp_op_t, printer: String?) -> OpaquePointer {
        let request = ippNewRequest(operation)!
        if let printer {
            ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, "ipp://localhost/printers/\(printer)")
        }
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nil, cupsUser())
        return request
    }

    static func requestAttributes(_ request: OpaquePointer, _ names: [String]) {
        var pointers = names.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        pointers.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) {
                _ = ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", Int32(names.count), nil, $0.baseAddress)
            }
        }
    }

    static func mimeType(_ format: LabelFormat) -> String {
        switch format {
        case .zpl: "application/vnd.cups-raw"
        case .pdf: "application/pdf"
        }
    }

    static func job(_ group: [String: [IPPValue]]) -> CupsJob? {
        guard let id = group.integer("job-id"), let state = group.integer("job-state").flatMap(CupsJob.State.init(rawValue:)) else {
            return nil
        }
        return CupsJob(id: id, name: group.texts("job-name").first ?? "", state: state, reasons: group.texts("job-state-reasons"))
    }

    static func printerStatus(_ group: [String: [IPPValue]], name: String) -> PrinterStatus {
        let state: PrinterStatus.State =
            switch group.integer("printer-state") {
            case 5: .stopped
            case 4: .processing
            default: .idle
            }
        return PrinterStatus(
            name: name,
            state: state,
            reasons: group.texts("printer-state-reasons").filter { $0 != "none" },
            isAccepting: group.boolean("printer-is-accepting-jobs") ?? false,
            message: group.texts("printer-state-message").first ?? ""
        )
    }
}
