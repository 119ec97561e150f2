public import Foundation

/// What the station knows about itself at one moment, gathered by the agent (or by `waybill status`
/// when no agent runs) for ``HealthRules``. Plain values: the rules do no I/O.
public struct HealthFacts: Sendable {
    /// Writes to the database fail, since ``since``.
    public struct WriteFailure: Sendable, Hashable {
        public let since: Date
        public let message: String

        public init(since: Date, message: String) {
            self.since = since
            self.message = message
        }
    }

    /// A configured printer that cannot print, and what to do about it.
    public struct PrinterFault: Sendable, Hashable {
        /// `label` or `document`.
        public let role: String
        public let name: String
        /// What keeps it from printing, saying what to do.
        public let message: String

        public init(role: String, name: String, message: String) {
            self.role = role
            self.name = name
            self.message = message
        }
    }

    /// A label the spooler could not hand to CUPS.
    public struct HeldLabel: Sendable, Hashable {
        public let labelID: String
        public let reason: String

        public init(labelID: String, reason: String) {
            self.labelID = labelID
            self.reason = reason
        }
    }

    /// The file systems the station writes to (database, spool).
    public var disks: [DiskSpace] = []
    /// Writes to the database fail; nil when the last write went through.
    public var writeFailure: WriteFailure?
    /// Why sync does not run (no station secret); nil when it runs.
    public var syncOff: String?
    /// How long the sync loop has been silent, when longer than it may be; nil when it beats.
    public var syncStalledFor: Duration?
    /// `online`, `degraded` or `offline` as the sync engine last recorded it; nil before any cycle.
    public var connectivity: String?
    /// Since when the station is offline or degraded.
    public var offlineSince: Date?
    /// The last sync error's code (`transport`, `httpStatus`, `authentication`, …), nil after a success.
    public var lastErrorCode: String?
    /// The last sync error, for people.
    public var lastError: String?
    /// `at cursor C: reason` while the feed is blocked.
    public var feedBlocked: String?
    /// The oldest pending outbox entry's age in seconds.
    public var oldestPendingAge: Double?
    /// Refused operations still waiting for a person.
    public var deadLetters = 0
    public var conflictsOpen = 0
    public var quarantined = 0
    public var failedPrintJobs = 0
    public var printerFaults: [PrinterFault] = []
    public var heldLabels: [HeldLabel] = []
    /// Seconds the station's clock is ahead of the central API's (negative: behind); nil when not known.
    public var clockSkew: Double?
    /// The bench scale gives no reading: its device and why.
    public var scaleSilent: (device: String, reason: String)?

    public init() {}
}
