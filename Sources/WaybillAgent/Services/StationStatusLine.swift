import WaybillStore

/// The one-line station summary systemd shows (`systemctl status waybill`), e.g.
/// "online, 3 pending, 1 conflict, printer ok".
enum StationStatusLine {
    /// - Parameters:
    ///   - connectivity: `online`, `degraded`, `offline`, or why sync is off.
    ///   - status: the store's counts.
    ///   - printer: the label printer's state in a few words, or `nil` when none is configured.
    ///   - scale: the bench scale's state in a few words, or `nil` when none is configured.
    static func make(connectivity: String, status: StoreStatus?, printer: String?, scale: String? = nil) -> String {
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
        return parts.joined(separator: ", ")
    }
}
