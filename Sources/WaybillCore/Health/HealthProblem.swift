public import Foundation

/// One thing wrong with a station, as every surface shows it (`waybill status`, `/healthz`,
/// `/metrics`, the systemd status line, the station screen): its cause, since when, what it blocks
/// and what to do. A problem clears when its cause is gone.
public struct HealthProblem: Sendable, Hashable, Codable {
    /// What kind of problem; the `waybill_health_problems{kind}` label and the JSON `kind`.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A file system of the station (database, spool) has (almost) no space left.
        case diskFull = "disk_full"
        /// A file system of the station is nearly full: a warning before it is.
        case diskLow = "disk_low"
        /// Writes to the station's database fail (disk full, read-only file system, lock held).
        case databaseWritesFailing = "database_writes_failing"
        /// Sync does not run (no station secret).
        case syncOff = "sync_off"
        /// The sync loop has been silent too long (a hung cycle).
        case syncStalled = "sync_stalled"
        /// No sync cycle has run on this database.
        case neverSynced = "never_synced"
        /// The central API does not answer (network, DNS, TLS, timeouts).
        case centralUnreachable = "central_unreachable"
        /// The central API answers with errors (5xx, 429).
        case centralFailing = "central_failing"
        /// The central API refuses the station's credentials.
        case centralAuthRefused = "central_auth_refused"
        /// The central API refuses the station's requests as they are (400, 404, 422, …).
        case centralRefusing = "central_refusing"
        /// The central feed keeps serving a page this station cannot read.
        case feedBlocked = "feed_blocked"
        /// The central API answers, but outbox entries stay.
        case outboxNotDraining = "outbox_not_draining"
        /// Operations the central API refused, waiting for a person.
        case refusedOperations = "refused_operations"
        /// Conflicts that need a person.
        case conflictsOpen = "conflicts_open"
        /// Pulled changes kept out of the replica.
        case quarantinedChanges = "quarantined_changes"
        /// A configured printer is faulty, missing or unreachable.
        case printerFault = "printer_fault"
        /// Labels the spooler could not hand to CUPS.
        case labelsHeld = "labels_held"
        /// Print jobs that failed for good.
        case printJobsFailed = "print_jobs_failed"
        /// The station's clock differs from the central API's.
        case clockSkew = "clock_skew"
        /// The bench scale gives no reading.
        case scaleDisconnected = "scale_disconnected"
    }

    public let kind: Kind
    /// Which one, when a kind can happen more than once (a printer, a file system); empty otherwise.
    public let subject: String
    /// What is wrong, in a few words ("disk full: 0 MiB free of 64 MiB on /var/lib/waybill").
    public let cause: String
    /// Since when, as far as anyone observed it; `nil` when not known.
    public var since: Date?
    /// What it keeps from happening.
    public let blocks: String
    /// What to do.
    public let action: String

    public init(kind: Kind, subject: String = "", cause: String, since: Date? = nil, blocks: String, action: String) {
        self.kind = kind
        self.subject = subject
        self.cause = cause
        self.since = since
        self.blocks = blocks
        self.action = action
    }

    /// Identifies the problem across refreshes: one kind about one subject.
    public var key: String { subject.isEmpty ? kind.rawValue : "\(kind.rawValue):\(subject)" }

    /// The whole problem in one sentence for people: "cause since T: blocks; action".
    public var sentence: String {
        let when = since.map { " since " + Self.timestamp($0) } ?? ""
        return "\(cause)\(when): \(blocks); \(action)"
    }

    /// ISO 8601 in UTC, whole seconds, as every surface prints times (Foundation's format style,
    /// which needs no ICU in an idle agent).
    public static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    enum CodingKeys: String, CodingKey {
        case kind, subject, cause, since, blocks, action
    }
}
