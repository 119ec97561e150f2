/// The rules that turn what a station knows about itself into the problems people see. Every
/// surface (`waybill status`, `/healthz`, `/metrics`, the systemd status line, the station screen)
/// shows what these rules return, so they never disagree.
public enum HealthRules {
    /// An outbox whose oldest entry is older than this while the central API answers is not draining.
    public static let notDrainingAfter: Double = 300
    /// The station's clock may differ from the central API's by this much (plus the one second an
    /// HTTP date loses) before tokens and backoff go wrong.
    public static let maximumClockSkew: Double = 60

    /// The problems `facts` show, most urgent first; empty when the station is healthy.
    public static func problems(_ facts: HealthFacts) -> [HealthProblem] {
        var problems: [HealthProblem] = []
        for disk in facts.disks {
            let setting = disk.role == "spool" ? "spool.path" : "store.path"
            switch disk.level {
            case .full:
                problems.append(
                    HealthProblem(
                        kind: .diskFull,
                        subject: disk.role,
                        cause: "disk full (\(disk.role)): \(disk.text)",
                        blocks: disk.role == "spool"
                            ? "new labels cannot be spooled, so nothing new prints"
                            : "nothing new is recorded: scans, packing, labels and sync stop",
                        action: "free space there or move \(setting) to a larger disk; the station goes on by itself"
                    )
                )
            case .low:
                problems.append(
                    HealthProblem(
                        kind: .diskLow,
                        subject: disk.role,
                        cause: "disk nearly full (\(disk.role)): \(disk.text)",
                        blocks: "nothing yet; once it is full, \(disk.role == "spool" ? "labels" : "commits") fail",
                        action: "free space there or move \(setting) to a larger disk"
                    )
                )
            case .ok:
                break
            }
        }
        if let failure = facts.writeFailure {
            problems.append(
                HealthProblem(
                    kind: .databaseWritesFailing,
                    cause: "database not writable (\(failure.message))",
                    since: failure.since,
                    blocks: "nothing new is recorded: scans, packing, labels and sync wait",
                    action:
                        "free disk space, check that the file system is writable and that no other program holds the database; the station goes on by itself"
                )
            )
        }
        problems += syncProblems(facts)
        if facts.deadLetters > 0 {
            problems.append(
                HealthProblem(
                    kind: .refusedOperations,
                    cause: "\(facts.deadLetters) refused operations",
                    blocks: "the central system did not take them",
                    action: "see `waybill outbox list --state dead` and `waybill conflicts list`"
                )
            )
        }
        if facts.conflictsOpen > 0 {
            problems.append(
                HealthProblem(
                    kind: .conflictsOpen,
                    cause: "\(facts.conflictsOpen) conflicts need a person",
                    blocks: "their orders wait",
                    action: "run `waybill conflicts list`"
                )
            )
        }
        if facts.quarantined > 0 {
            problems.append(
                HealthProblem(
                    kind: .quarantinedChanges,
                    cause: "\(facts.quarantined) pulled changes are quarantined",
                    blocks:
                        "invalid data from the central system, or a format newer than this waybill, stays out of the replica; everything else applies",
                    action: "see `waybill quarantine list`"
                )
            )
        }
        for fault in facts.printerFaults {
            problems.append(
                HealthProblem(
                    kind: .printerFault,
                    subject: fault.name,
                    cause: "printer \(fault.name) (\(fault.role)) cannot print",
                    blocks: "its labels wait in the spool and print once by themselves when it is fixed",
                    action: fault.message
                )
            )
        }
        if let first = facts.heldLabels.first {
            problems.append(
                HealthProblem(
                    kind: .labelsHeld,
                    cause: "\(facts.heldLabels.count) labels held (\(first.labelID): \(first.reason))",
                    blocks: "they wait in the spool",
                    action: "fix the printer and they print by themselves"
                )
            )
        }
        if facts.failedPrintJobs > 0 {
            problems.append(
                HealthProblem(
                    kind: .printJobsFailed,
                    cause: "\(facts.failedPrintJobs) print jobs failed",
                    blocks: "their labels did not print",
                    action: "check the printer and reprint (`waybill labels list`, `waybill labels reprint`)"
                )
            )
        }
        if let skew = facts.clockSkew, let problem = clockSkew(skew) { problems.append(problem) }
        if let scale = facts.scaleSilent {
            problems.append(
                HealthProblem(
                    kind: .scaleDisconnected,
                    subject: scale.device,
                    cause: "the scale \(scale.device) gives no reading (\(scale.reason))",
                    blocks: "packers type weights by hand",
                    action: "check its cable and power, and scale.device and scale.protocol"
                )
            )
        }
        return problems
    }

    /// The problem a clock `skew` seconds ahead of the central API's (negative: behind) is, if any.
    public static func clockSkew(_ skew: Double) -> HealthProblem? {
        guard abs(skew) > maximumClockSkew + 1 else { return nil }
        return HealthProblem(
            kind: .clockSkew,
            cause: "this station's clock is \(Int(abs(skew).rounded())) s \(skew > 0 ? "ahead of" : "behind") the central API's",
            blocks: "access tokens, backoff and the times on records go wrong",
            action: "turn on time sync (timedatectl set-ntp true)"
        )
    }

    private static func syncProblems(_ facts: HealthFacts) -> [HealthProblem] {
        var problems: [HealthProblem] = []
        let stopped = "nothing is pulled or pushed; work goes on here and waits in the outbox"
        if let syncOff = facts.syncOff {
            return [HealthProblem(kind: .syncOff, cause: "sync is off", blocks: stopped, action: syncOff)]
        }
        if let silent = facts.syncStalledFor {
            problems.append(
                HealthProblem(
                    kind: .syncStalled,
                    cause: "the sync loop has been stuck for \(Int(silent / .seconds(1))) s",
                    blocks: stopped,
                    action: "see the logs; systemd's watchdog restarts the agent"
                )
            )
        }
        switch facts.connectivity {
        case nil:
            problems.append(
                HealthProblem(
                    kind: .neverSynced,
                    cause: "never synced",
                    blocks: "no orders have been pulled",
                    action: "start the agent (systemctl start waybill) or run `waybill sync`"
                )
            )
        case "online":
            break
        case _ where facts.lastErrorCode == "authentication":
            problems.append(
                HealthProblem(
                    kind: .centralAuthRefused,
                    cause: "the central API refuses this station's credentials",
                    since: facts.offlineSince,
                    blocks: stopped,
                    action: "check central.secret_file and that the station is registered and not revoked centrally"
                )
            )
        case _ where facts.lastErrorCode == "refused":
            problems.append(
                HealthProblem(
                    kind: .centralRefusing,
                    cause: "the central API refuses this station's requests",
                    since: facts.offlineSince,
                    blocks: "\(facts.lastError.map { "last: \($0); " } ?? "")sync asks again only every few minutes and work waits in the outbox",
                    action: "tell the central system's team what it refuses (the journal has each request)"
                )
            )
        case "degraded":
            problems.append(
                HealthProblem(
                    kind: .centralFailing,
                    cause: "degraded",
                    since: facts.offlineSince,
                    blocks:
                        "the central API answers with errors\(facts.lastError.map { " (last: \($0))" } ?? ""); sync retries with backoff and work waits in the outbox",
                    action: "if it lasts, run `waybill doctor` and tell the central system's team"
                )
            )
        default:
            problems.append(
                HealthProblem(
                    kind: .centralUnreachable,
                    cause: "offline",
                    since: facts.offlineSince,
                    blocks: "the central API does not answer; \(stopped)",
                    action: "run `waybill doctor` (network, central.url, proxy, TLS)"
                )
            )
        }
        if let blocked = facts.feedBlocked {
            problems.append(
                HealthProblem(
                    kind: .feedBlocked,
                    cause: "feed blocked \(blocked)",
                    blocks:
                        "the central system keeps sending a changes page this station cannot read, so new central changes do not arrive; it is fetched again with backoff",
                    action: "tell the central system's team"
                )
            )
        }
        if let age = facts.oldestPendingAge, age > notDrainingAfter, facts.connectivity == "online" {
            problems.append(
                HealthProblem(
                    kind: .outboxNotDraining,
                    cause: "outbox not draining (oldest entry \(Int(age)) s old)",
                    blocks: "the central API answers, but these operations stay unconfirmed",
                    action: "see `waybill outbox list`"
                )
            )
        }
        return problems
    }
}
