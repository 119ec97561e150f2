import Glibc
public import Logging
public import WaybillCore

/// Takes labels and sees each one printed exactly once.
///
/// ``enqueue(_:labelID:format:printer:)`` writes the label to the spool durably, records it, and
/// sends it to CUPS at once (one IPP request). ``run()`` then follows every open job until CUPS
/// reports it completed. Faults (queue missing, disabled or rejecting, media empty, device or cupsd
/// unreachable) hold the job with the operator's reason; it is retried with backoff and prints
/// once the fault clears. On start, reconciliation finds jobs that reached CUPS before a crash by
/// their job name (the label id) instead of sending them again, and resubmits, once, a job CUPS lost.
public actor PrintSpooler {
    /// Timing of the spooler.
    public struct Configuration: Sendable {
        /// How often open jobs are checked with CUPS.
        public var pollInterval: Duration
        /// Backoff for labels CUPS refused or could not take, without jitter (one station retries its
        /// own printer: there is no herd to spread).
        public var retry: RetryPolicy
        /// How long a label sent without a recorded answer (a crash or a timeout in the middle of the
        /// request) may still be landing in a busy cupsd: it is looked up by name again, not resent,
        /// until this much time has passed since the attempt. Longer than the IPP request timeout.
        public var landingGrace: Duration

        public init(
            pollInterval: Duration = .milliseconds(500),
            retry: RetryPolicy = RetryPolicy(base: .seconds(2), cap: .seconds(60)),
            landingGrace: Duration = .seconds(15)
        ) {
            self.pollInterval = pollInterval
            self.retry = retry
            self.landingGrace = landingGrace
        }
    }

    /// Every change of a job's state or reason, as saved (for the outbox, `status` and events).
    public nonisolated let changes: AsyncStream<PrintJobRecord>
    let changesContinuation: AsyncStream<PrintJobRecord>.Continuation
    let client: CupsClient
    let ledger: any PrintJobLedger
    let spool: Spool
    let configuration: Configuration
    let logger: Logger
    let now: @Sendable () -> Double
    private let wakeStream: AsyncStream<Void>
    private let wakeContinuation: AsyncStream<Void>.Continuation
    /// Jobs some call is working on; a pass leaves them alone.
    var inFlight: Set<String> = []
    /// Whether the start-up reconciliation still has to run.
    var needsReconciliation = true
    /// A label enqueued with ``PrintSubmission/pipelined``: its job record (not yet saved) and bytes.
    typealias PendingLabel = (job: PrintJobRecord, bytes: [UInt8])
    // The pipeline's state (PrintSpooler+Pipeline.swift).
    /// Labels enqueued with ``PrintSubmission/pipelined`` that the sender has not taken yet.
    var pipeline: [PendingLabel] = []
    /// The task sending ``pipeline``, while it has labels.
    var sender: Task<Void, Never>?
    /// Pipelined labels queued so far, and how many of them are recorded (or were dropped).
    var queuedCount = 0
    var settledCount = 0
    /// Callers of ``recorded()`` waiting for ``settledCount`` to reach their target.
    var recordedWaiters: [(target: Int, continuation: CheckedContinuation<Void, Never>)] = []

    public init(
        client: CupsClient,
        ledger: any PrintJobLedger,
        spool: Spool,
        configuration: Configuration = Configuration(),
        logger: Logger,
        now: @escaping @Sendable () -> Double = PrintSpooler.wallClock
    ) {
        self.client = client
        self.ledger = ledger
        self.spool = spool
        self.configuration = configuration
        self.logger = logger
        self.now = now
        (changes, changesContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1024))
        (wakeStream, wakeContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Seconds since 1970, from the system clock.
    public static let wallClock: @Sendable () -> Double = {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Spools `bytes` durably as label `labelID`, records the job and submits it.
    ///
    /// When it returns depends on `submission` (see ``PrintSubmission``): with `.now`, once CUPS
    /// accepted the job or the label is held with a reason (it is then retried by ``run()``); with
    /// `.later`, once the label is spooled and recorded; with `.pipelined`, at once, the label being
    /// spooled and recorded with the labels around it before any of them is sent. In every case the
    /// label is on disk and recorded before it reaches CUPS, so it prints exactly once.
    /// - Parameter labelID: 1-40 characters of `A-Z 0-9 -`, unique; the CUPS job name.
    /// - Throws: ``PrintError`` `.invalidRequest` (bad or reused label id), `.spoolMissing` (spool not
    ///   writable; with `.pipelined` the sender logs it instead), `.ledger` (database).
    @discardableResult
    public nonisolated func enqueue(
        _ bytes: [UInt8],
        labelID: String,
        format: LabelFormat,
        printer: String,
        reprintOf: String? = nil,
        reprintReason: String? = nil,
        submission: PrintSubmission = .now
    ) async throws(PrintError) -> PrintJobRecord {
        // Checked and spooled off the actor: the disk flushes of one label overlap the sending of
        // the one before (the actor records both).
        guard BarcodeID(rawValue: labelID) != nil else {
            throw PrintError(.invalidRequest, printer: printer, "label id \(labelID) must be 1-40 characters of A-Z, 0-9 and -")
        }
        guard try await ledger.job(labelID: labelID) == nil else {
            throw Self.alreadyUsed(labelID, printer: printer)
        }
        if submission == .pipelined {
            // Spooled, recorded and sent by the sender, together with the labels around it.
            let time = now()
            let job = PrintJobRecord(
                labelID: labelID,
                printer: printer,
                format: format,
                spoolPath: spool.path(for: "\(labelID).\(format.fileExtension)"),
                attempts: 1,
                reprintOf: reprintOf,
                reprintReason: reprintReason,
                createdAt: time,
                updatedAt: time
            )
            return try await queue(job, bytes: bytes)
        }
        let path: String
        do {
            path = try spool.write(bytes, named: "\(labelID).\(format.fileExtension)")
        } catch {
            throw PrintError(.spoolMissing, printer: printer, error.description)
        }
        let time = now()
        // Sent at once: the record carries the attempt, saving a commit; a restart looks it up by name,
        // and sends it only once the landing grace has passed.
        let job = PrintJobRecord(
            labelID: labelID,
            printer: printer,
            format: format,
            spoolPath: path,
            attempts: submission == .later ? 0 : 1,
            reprintOf: reprintOf,
            reprintReason: reprintReason,
            createdAt: time,
            updatedAt: time
        )
        return try await record(job, bytes: bytes, submission: submission)
    }

    /// Records a spooled label's job, then sends it as `submission` says.
    private func record(_ job: PrintJobRecord, bytes: [UInt8], submission: PrintSubmission) async throws(PrintError) -> PrintJobRecord {
        let labelID = job.labelID
        // In flight before the record exists: a pass running meanwhile must not send it too.
        inFlight.insert(labelID)
        do throws(PrintError) {
            try await ledger.insert(job)
        } catch {
            inFlight.remove(labelID)
            throw error
        }
        changesContinuation.yield(job)
        switch submission {
        case .later:
            inFlight.remove(labelID)
            return job
        case .now, .pipelined:
            defer { inFlight.remove(labelID) }
            return try await submit(job, bytes: bytes, attemptRecorded: true)
        }
    }

    static func alreadyUsed(_ labelID: String, printer: String) -> PrintError {
        PrintError(.invalidRequest, printer: printer, "label \(labelID) was already printed or queued; use reprint with a reason")
    }

    /// One label to print, for ``enqueue(batch:)``.
    public struct LabelRequest: Sendable {
        public var labelID: String
        public var bytes: [UInt8]
        public var format: LabelFormat
        public var printer: String

        public init(labelID: String, bytes: [UInt8], format: LabelFormat, printer: String) {
            self.labelID = labelID
            self.bytes = bytes
            self.format = format
            self.printer = printer
        }
    }

    /// Spools, records and submits several labels (an order's box labels and slips, a wave printed
    /// ahead): one durable spool write for all of them (see ``Spool/write(batch:)``), then each job
    /// as ``enqueue(_:labelID:format:printer:reprintOf:reprintReason:submission:)`` would.
    ///
    /// - Returns: the jobs, in order, each submitted or held with its reason.
    public func enqueue(batch requests: [LabelRequest]) async throws(PrintError) -> [PrintJobRecord] {
        for request in requests {
            guard BarcodeID(rawValue: request.labelID) != nil, try await ledger.job(labelID: request.labelID) == nil else {
                throw PrintError(.invalidRequest, printer: request.printer, "label id \(request.labelID) is malformed or already used")
            }
        }
        let paths: [String]
        do {
            paths = try spool.write(batch: requests.map { ("\($0.labelID).\($0.format.fileExtension)", $0.bytes) })
        } catch {
            throw PrintError(.spoolMissing, printer: requests.first?.printer, error.description)
        }
        // In flight before the records exist: a pass running meanwhile must not send them too.
        requests.forEach { inFlight.insert($0.labelID) }
        defer { requests.forEach { inFlight.remove($0.labelID) } }
        var jobs: [PrintJobRecord] = []
        for (request, path) in zip(requests, paths) {
            let time = now()
            let job = PrintJobRecord(
                labelID: request.labelID,
                printer: request.printer,
                format: request.format,
                spoolPath: path,
                attempts: 1,
                createdAt: time,
                updatedAt: time
            )
            try await ledger.insert(job)
            changesContinuation.yield(job)
            jobs.append(job)
        }
        var results: [PrintJobRecord] = []
        for (job, request) in zip(jobs, requests) {
            results.append(try await submit(job, bytes: request.bytes, attemptRecorded: true))
        }
        return results
    }

    /// Prints label `labelID` again as a new job `<labelID>-R<n>`, recording the operator's reason.
    ///
    /// - Parameter submission: `.later` only records and spools the reprint, for the running agent's
    ///   spooler to send (the CLI does this, so two processes never send the same job).
    public func reprint(labelID: String, reason: String, submission: PrintSubmission = .now) async throws(PrintError) -> PrintJobRecord {
        guard !reason.allSatisfy(\.isWhitespace) else {
            throw PrintError(.invalidRequest, printer: nil, "a reprint needs a reason (it is recorded)")
        }
        guard let original = try await ledger.job(labelID: labelID) else {
            throw PrintError(.invalidRequest, printer: nil, "no label \(labelID) was printed here; see `waybill labels list`")
        }
        let bytes = try readSpool(original)
        var number = 1
        while try await ledger.job(labelID: "\(labelID)-R\(number)") != nil { number += 1 }
        return try await enqueue(
            bytes,
            labelID: "\(labelID)-R\(number)",
            format: original.format,
            printer: original.printer,
            reprintOf: labelID,
            reprintReason: reason,
            submission: submission
        )
    }

    /// Checks every open job once now instead of at the next tick.
    public nonisolated func wake() { wakeContinuation.yield() }

    /// Follows open jobs until cancelled: reconciliation first, then a pass every poll interval or wake.
    public func run() async {
        let interval = configuration.pollInterval
        let wake = wakeContinuation
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                wake.yield()
            }
        }
        defer { ticker.cancel() }
        await pass()
        for await _ in wakeStream {
            if Task.isCancelled { break }
            await pass()
        }
    }

    /// Sends a job to CUPS: records the attempt first (unless the caller's record already counts
    /// it), then the outcome.
    func submit(_ job: PrintJobRecord, bytes: [UInt8], attemptRecorded: Bool = false) async throws(PrintError) -> PrintJobRecord {
        var attempt = job
        if !attemptRecorded {
            attempt.attempts += 1
            attempt.updatedAt = now()
            try await ledger.save(attempt)
        }
        do {
            let id = try await client.submit(bytes, format: job.format, printer: job.printer, jobName: job.labelID)
            let submitted = Self.accepted(attempt, cupsJobID: id)
            try await save(submitted)
            return submitted
        } catch {
            return try await hold(attempt, error)
        }
    }

    /// The job as CUPS accepted it (a resubmission keeps saying that CUPS lost it once).
    static func accepted(_ job: PrintJobRecord, cupsJobID: Int) -> PrintJobRecord {
        var accepted = job
        accepted.cupsJobID = cupsJobID
        accepted.state = .submitted
        accepted.nextAttemptAt = nil
        accepted.reason = job.reason?.hasPrefix("CUPS lost") == true ? job.reason : nil
        return accepted
    }

    @discardableResult
    func hold(_ job: PrintJobRecord, _ error: PrintError) async throws(PrintError) -> PrintJobRecord {
        var held = job
        held.state = .held
        held.reason = error.message
        held.nextAttemptAt = now() + configuration.retry.ceiling(afterFailures: max(job.attempts, 1) - 1).seconds
        logger.warning("Label held", metadata: metadata(held))
        try await save(held)
        return held
    }

    func save(_ job: PrintJobRecord) async throws(PrintError) {
        var saved = job
        saved.updatedAt = now()
        try await ledger.save(saved)
        changesContinuation.yield(saved)
    }

    func readSpool(_ job: PrintJobRecord) throws(PrintError) -> [UInt8] {
        let slash = job.spoolPath.lastIndex(of: "/")
        let folder = slash.map { String(job.spoolPath[..<$0]) } ?? "."
        let name = slash.map { String(job.spoolPath[job.spoolPath.index(after: $0)...]) } ?? job.spoolPath
        do {
            return try Spool(directory: folder).read(named: name)
        } catch {
            throw PrintError(.spoolMissing, printer: job.printer, "the spooled label \(job.spoolPath) cannot be read: \(error)")
        }
    }

    func metadata(_ job: PrintJobRecord) -> Logger.Metadata {
        ["label.id": "\(job.labelID)", "print.printer": "\(job.printer)", "print.reason": "\(job.reason ?? "")"]
    }
}
