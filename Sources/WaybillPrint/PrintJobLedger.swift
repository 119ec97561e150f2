public import WaybillCore

/// Where the spooler keeps its print jobs, durably. WaybillPrint does not speak SQL: the agent
/// implements this with the station's store; tests may use a recording actor.
///
/// Every method must have committed durably when it returns.
public protocol PrintJobLedger: Sendable {
    /// Records a new job. Fails when a job with that label id exists, and with ``PrintError/Code/withdrawn``
    /// when its document was withdrawn meanwhile.
    func insert(_ job: PrintJobRecord) async throws(PrintError)
    /// Records several new jobs, in one commit where the ledger can; fails, recording none, when
    /// one of them exists or was withdrawn.
    func insert(_ jobs: [PrintJobRecord]) async throws(PrintError)
    /// Saves an existing job's new fields.
    func save(_ job: PrintJobRecord) async throws(PrintError)
    /// Saves several existing jobs' new fields, in one commit where the ledger can.
    func save(_ jobs: [PrintJobRecord]) async throws(PrintError)
    /// The job of a label id.
    func job(labelID: String) async throws(PrintError) -> PrintJobRecord?
    /// Jobs neither printed nor failed, oldest first.
    func openJobs() async throws(PrintError) -> [PrintJobRecord]
}

extension PrintJobLedger {
    /// Records the jobs one by one.
    public func insert(_ jobs: [PrintJobRecord]) async throws(PrintError) {
        for job in jobs { try await insert(job) }
    }

    /// Saves the jobs one by one.
    public func save(_ jobs: [PrintJobRecord]) async throws(PrintError) {
        for job in jobs { try await save(job) }
    }
}

extension PrintError.Code {
    /// The job ledger (the station's database) failed.
    public static let ledger = PrintError.Code(rawValue: "ledger")
    /// The label id, or another input, is not acceptable.
    public static let invalidRequest = PrintError.Code(rawValue: "invalid_request")
    /// The document was withdrawn (replaced by a new issue, or voided) after it was asked for and
    /// before its job was recorded: it does not print, and what replaces it is asked for instead.
    public static let withdrawn = PrintError.Code(rawValue: "withdrawn")
}
