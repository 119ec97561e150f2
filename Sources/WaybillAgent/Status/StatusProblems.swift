import Foundation
import WaybillCore
import WaybillStore

/// The rules that make `waybill status` report a station as degraded (exit code 3). Each problem is
/// one sentence that says what to do; the README's troubleshooting table explains each.
enum StatusProblems {
    /// An outbox whose oldest entry is older than this while the hub answers is not draining.
    static let notDrainingAfter: TimeInterval = 300

    static func find(status: StoreStatus, syncState: [SyncStateKey: String], now: Date = Date()) -> [String] {
        var problems: [String] = []
        switch syncState[.connectivity] {
        case "online":
            break
        case nil:
            problems.append("never synced: start the agent (systemctl start waybill) or run `waybill sync`")
        case let connectivity?:
            let since =
                syncState[.offlineSince].flatMap(Double.init).map { " since " + ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: $0)) }
                ?? ""
            problems.append("\(connectivity)\(since): the hub does not answer reliably; run `waybill doctor`")
        }
        if let blocked = syncState[.feedBlocked] {
            problems.append(
                "feed blocked \(blocked): the central system keeps sending a changes page this station cannot read; it is fetched again with backoff (tell the central system's team)"
            )
        }
        if let age = status.oldestPendingAge, age > notDrainingAfter, syncState[.connectivity] == "online" {
            problems.append("outbox not draining (oldest entry \(Int(age)) s old); see `waybill outbox list`")
        }
        if status.deadLetters > 0 {
            problems.append("\(status.deadLetters) refused operations; see `waybill outbox list --state dead` and `waybill conflicts list`")
        }
        if status.conflictsOpen > 0 {
            problems.append("\(status.conflictsOpen) conflicts need a person; run `waybill conflicts list`")
        }
        if status.quarantined > 0 {
            problems.append(
                "\(status.quarantined) pulled changes are quarantined (invalid data from the central system, or a format newer than this waybill); see `waybill quarantine list`"
            )
        }
        let failedJobs = status.printJobs[.failed] ?? 0
        if failedJobs > 0 {
            problems.append("\(failedJobs) print jobs failed; check the printer and reprint")
        }
        return problems
    }
}
