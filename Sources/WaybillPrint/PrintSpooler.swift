import Glibc
public import Logging
public import WaybillCore

/// Takes labels and sees each one printed exactly once.
///
/// ``enqueue(_:labelID:format:printer:)`` and ``print(_:labelID:format:printer:)``
/// write the label to the spool durably, record it, and then send it to CUPS (one IPP request). ``run()`` then follows every open job until CUPS
/// reports it completed. Faults (queue missing, disabled or rejecting, media empty, device or cupsd
/// unreachable) hold the job with the operator's reason; it is retried with backoff and prints
/// once the fault clears. On start, reconciliation finds jobs that reached CUPS before a crash by
/// their job name (the label id) instead of sending them again, and resubmits, once, a job CUPS lost.
public actor PrintSpooler {
    /// Timing of the spooler.
    public struct Configuration: Sendable {
        /// How often open jobs are checked with CUPS.
        public var pollInterval: Duration
        /// How often the spooler looks for jobs while none is open. Labels queued here wake it at
        /// once, and so does ``PrintSpooler/wake()`` (the agent calls it when a command recorded a
        /// label); this is the backstop for a record nobody announced.
        public var idlePollInterval: Duration
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
            landingGrace: Duration = .seconds(15),
            idlePollInterval: Duration = .seconds(30)
        ) {
            self.pollInterval = pollInterval
            self.idlePollInterval = idlePollInterval
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
    /// Where the pipeline's tasks run (spool writes wait for fsync): the agent's blocking lane.
    let blockingLane: (any TaskExecutor)?
    /// A queued label: its job record (not yet saved) and bytes.
    typealias PendingLabel = (job: PrintJobRecord, bytes: [UInt8])
    // The pipeline's state (PrintSpooler+Pipeline.swift).
    /// Labels queued that the sender has not taken yet.
    var pipeline: [PendingLabel] = []
    /// The task sending ``pipeline``, while it has labels.
    var sender: Task<Void, Never>?
    /// Labels queued so far, and how many of them are recorded (or were dropped).
    var queuedCount = 0
    var settledCount = 0
    /// Callers of ``recorded()`` waiting for ``settledCount`` to reach their target.
    var recordedWaiters: [(target: Int, continuation: CheckedContinuation<Void, Never>)] = []
    /// Callers of ``print(_:labelID:format:printer:)`` waiting for CUPS's answer, by label.
    var answerWaiters: [String: [CheckedContinuation<Result<PrintJobRecord, PrintError>, Never>]] = [:]

    public init(
        client: CupsClient,
        ledger: any PrintJobLedger,
        spool: Spool,
        configuration: Configuration = Configuration(),
        logger: Logger,
        blockingLane: (any TaskExecutor)? = nil,
        now: @escaping @Sendable () -> Double = PrintSpooler.wallClock
    ) {
        self.blockingLane = blockingLane
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

    /// Queues `bytes` to print as label `labelID` and returns at once, with its job as queued.
    ///
    /// Every label takes the one pipeline (PrintSpooler+Pipeline.swift): the labels waiting are made
    /// durable as a group (spool files, then their records in one commit) before any of them is sent
    /// to CUPS, so a label prints exactly once. A label still waiting is not queued twice: its job is
    /// returned. ``recorded()`` waits until the labels queued so far are recorded, ``flush()`` until
    /// they were sent; ``print(_:labelID:format:printer:)`` waits for one label's answer.
    /// - Parameter labelID: 1-40 characters of `A-Z 0-9 -`, unique; the CUPS job name.
    /// - Throws: ``PrintError`` `.invalidRequest` (bad or reused label id), `.ledger` (database).
    @discardableResult
    public func enqueue(
        _ bytes: [UInt8],
        labelID: String,
        format: LabelFormat,
        printer: String
    ) async throws(PrintError) -> PrintJobRecord {
        let job = try await newJob(labelID: labelID, format: format, printer: printer)
        return try queue(job, bytes: bytes)
    }

    /// Prints `bytes` as label `labelID` through the same pipeline as ``enqueue(_:labelID:format:printer:)``,
    /// and returns CUPS's answer: the job accepted, or held with the operator's reason (``run()`` retries it).
    /// - Throws: as `enqueue`, and `.spoolMissing` when the spool folder cannot take the label.
    @discardableResult
    public func print(
        _ bytes: [UInt8],
        labelID: String,
        format: LabelFormat,
        printer: String
    ) async throws(PrintError) -> PrintJobRecord {
        let job = try await newJob(labelID: labelID, format: format, printer: printer)
        return try await queueAndWait(job, bytes: bytes)
    }

    /// Queues a label and waits for CUPS's answer; queued and waited for without a suspension
    /// between, so the answer cannot come first.
    private func queueAndWait(_ job: PrintJobRecord, bytes: [UInt8]) async throws(PrintError) -> PrintJobRecord {
        try queue(job, bytes: bytes)
        return try await answer(for: job.labelID).get()
    }

    /// Spools and records a label without sending it: ``run()`` sends it, in this process or in the
    /// running agent. The CLI records reprints this way, so two processes never send the same job.
    private func recordOnly(_ queued: PrintJobRecord, bytes: [UInt8]) async throws(PrintError) -> PrintJobRecord {
        guard !inFlight.contains(queued.labelID) else { throw Self.alreadyUsed(queued.labelID, printer: queued.printer) }
        var job = queued
        // Not sent yet: no attempt to count.
        job.attempts = 0
        do {
            _ = try spool.write(bytes, named: "\(job.labelID).\(job.format.fileExtension)")
        } catch {
            throw PrintError(.spoolMissing, printer: job.printer, error.description)
        }
        try await ledger.insert(job)
        changesContinuation.yield(job)
        wake()
        return job
    }

    /// The job of a label about to be queued, counting the attempt the pipeline makes; checks its id.
    private func newJob(
        labelID: String,
        format: LabelFormat,
        printer: String,
        reprintOf: String? = nil,
        reprintReason: String? = nil
    ) async throws(PrintError) -> PrintJobRecord {
        guard BarcodeID(rawValue: labelID) != nil else {
            throw PrintError(.invalidRequest, printer: printer, "label id \(labelID) must be 1-40 characters of A-Z, 0-9 and -")
        }
        guard try await ledger.job(labelID: labelID) == nil else {
            throw Self.alreadyUsed(labelID, printer: printer)
        }
        let time = now()
        return PrintJobRecord(
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
    }

    static func alreadyUsed(_ labelID: String, printer: String) -> PrintError {
        PrintError(.invalidRequest, printer: printer, "label \(labelID) was already printed or queued; use reprint with a reason")
    }

    /// One label for ``CupsClient/submit(_:)``.
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

    /// Prints label `labelID` again as a new job `<labelID>-R<n>`, recording the operator's reason,
    /// and returns CUPS's answer (as ``print(_:labelID:format:printer:)``).
    public func reprint(labelID: String, reason: String) async throws(PrintError) -> PrintJobRecord {
        let (job, bytes) = try await reprintJob(of: labelID, reason: reason)
        return try await queueAndWait(job, bytes: bytes)
    }

    /// Records a reprint of label `labelID` for ``run()`` to send, without sending it here:
    /// the CLI's reprint, which the running agent prints.
    public func recordReprint(labelID: String, reason: String) async throws(PrintError) -> PrintJobRecord {
        let (job, bytes) = try await reprintJob(of: labelID, reason: reason)
        return try await recordOnly(job, bytes: bytes)
    }

    /// Whether label `labelID` waits in the pipeline or is being recorded or sent.
    private func isQueuedOrInFlight(_ labelID: String) -> Bool {
        inFlight.contains(labelID) || pipeline.contains { $0.job.labelID == labelID }
    }

    /// The job of a reprint of `labelID` (its own label id `<labelID>-R<n>`) and the spooled bytes it copies.
    private func reprintJob(of labelID: String, reason: String) async throws(PrintError) -> (PrintJobRecord, [UInt8]) {
        guard !reason.allSatisfy(\.isWhitespace) else {
            throw PrintError(.invalidRequest, printer: nil, "a reprint needs a reason (it is recorded)")
        }
        guard let original = try await ledger.job(labelID: labelID) else {
            throw PrintError(.invalidRequest, printer: nil, "no label \(labelID) was printed here; see `waybill labels list`")
        }
        let bytes = try readSpool(original)
        var number = 1
        // Not a number already taken: recorded, being recorded, or queued.
        while try await ledger.job(labelID: "\(labelID)-R\(number)") != nil || isQueuedOrInFlight("\(labelID)-R\(number)") {
            number += 1
        }
        let job = try await newJob(
            labelID: "\(labelID)-R\(number)",
            format: original.format,
            printer: original.printer,
            reprintOf: labelID,
            reprintReason: reason
        )
        return (job, bytes)
    }

    /// Checks every open job once now instead of at the next tick.
    public nonisolated func wake() { wakeContinuation.yield() }

    /// Follows open jobs until cancelled: reconciliation first, then a pass at each wake, and every
    /// poll interval while a job is open (every idle poll interval while none is: an idle station
    /// does not read its print jobs twice a second).
    public func run() async {
        var wakes = wakeStream.makeAsyncIterator()
        var ticker: Task<Void, Never>?
        defer { ticker?.cancel() }
        while !Task.isCancelled {
            let interval = await pass() ? configuration.pollInterval : configuration.idlePollInterval
            ticker?.cancel()
            ticker = Task { [wake = wakeContinuation] in
                try? await Task.sleep(for: interval)
                if !Task.isCancelled { wake.yield() }
            }
            guard await wakes.next() != nil else { return }
        }
    }

    /// Sends a recorded job to CUPS again (a retry, or a job CUPS lost): records the attempt first,
    /// then the outcome.
    func submit(_ job: PrintJobRecord, bytes: [UInt8]) async throws(PrintError) -> PrintJobRecord {
        var attempt = job
        attempt.attempts += 1
        attempt.updatedAt = now()
        try await ledger.save(attempt)
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
