import WaybillCore
import WaybillStore

/// The one-line station summary systemd shows (`systemctl status waybill`), e.g.
/// "ok; online, 3 pending, printer zebra idle" or
/// "degraded: disk full (spool): 0 MiB free … (+1 more); online, 3 pending, printer zebra idle".
enum StationStatusLine {
    /// - Parameters:
    ///   - problems: the health model's problems, most urgent first.
    ///   - connectivity: `online`, `degraded`, `offline`, or why sync is off.
    ///   - status: the store's counts.
    ///   - printer: the label printer's state in a few words, or `nil` when none is configured.
    ///   - scale: the bench scale's state in a few words, or `nil` when none is configured.
    static func make(problems: [HealthProblem] = [], connectivity: String, status: StoreStatus?, printer: String?, scale: String? = nil) -> String {
        var parts = [connectivity]
        if let status {
            parts.append("\(status.outboxDepth) pending")
            if status.conflictsOpen > 0 { parts.append("\(status.conflictsOpen) conflict\(status.conflictsOpen == 1 ? "" : "s")") }
            if status.deadLetters > 0 { parts.append("\(status.deadLetters) dead letters") }
        } else {
            parts.append("database unreadable")
        }
        parts.append(printer.map { "printer \($0)" } ?? "no printer configured")
        if let scale { parts.append(scale) }
        let health = problems.first.map { "degraded: \($0.cause)" + (problems.count > 1 ? " (+\(problems.count - 1) more)" : "") } ?? "ok"
        return health + "; " + parts.joined(separator: ", ")
    }
}
