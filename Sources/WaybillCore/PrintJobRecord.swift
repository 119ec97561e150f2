/// One print job of a label as the station records it: where its bytes are, where it stands and why.
///
/// The spooler (WaybillPrint) keeps these through a persistence protocol and the store (WaybillStore)
/// writes them to the `print_jobs` table. Times are seconds since 1970 (UTC).
public struct PrintJobRecord: Sendable, Hashable, Codable {
    /// The job's label id: unique per job (a reprint gets its own, such as `L-12-R1`) and sent as the
    /// CUPS job name, so a restarted agent can find the job in CUPS.
    public var labelID: String
    /// The CUPS queue.
    public var printer: String
    public var format: LabelFormat
    /// The spooled file's path.
    public var spoolPath: String
    public var state: PrintJobState
    /// CUPS's job id once CUPS accepted the job.
    public var cupsJobID: Int?
    /// Submissions tried so far (a submission whose answer was lost counts too).
    public var attempts: Int
    /// When a held job is tried again.
    public var nextAttemptAt: Double?
    /// Why the job is held or failed, or what reconciliation did; for the operator.
    public var reason: String?
    /// The label this job reprints, with the operator's reason.
    public var reprintOf: String?
    public var reprintReason: String?
    /// Times the job was sent again because CUPS had lost it (at most once).
    public var resubmissions: Int
    /// Why the conflict rules withdrew the job (its label voided, its order stopped), once they
    /// did: the spooler cancels it in CUPS if it got there and fails it with this reason, or
    /// records it printed when CUPS printed it first. Set by the store only.
    public var withdrawal: String?
    public var createdAt: Double
    public var updatedAt: Double

    public init(
        labelID: String,
        printer: String,
        format: LabelFormat,
        spoolPath: String,
        state: PrintJobState = .spooled,
        cupsJobID: Int? = nil,
        attempts: Int = 0,
        nextAttemptAt: Double? = nil,
        reason: String? = nil,
        reprintOf: String? = nil,
        reprintReason: String? = nil,
        resubmissions: Int = 0,
        withdrawal: String? = nil,
        createdAt: Double,
        updatedAt: Double
    ) {
        self.labelID = labelID
        self.printer = printer
        self.format = format
        self.spoolPath = spoolPath
        self.state = state
        self.cupsJobID = cupsJobID
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.reason = reason
        self.reprintOf = reprintOf
        self.reprintReason = reprintReason
        self.resubmissions = resubmissions
        self.withdrawal = withdrawal
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Whether the job still needs the spooler (not printed, not failed).
    public var isOpen: Bool { state != .printed && state != .failed }
}
