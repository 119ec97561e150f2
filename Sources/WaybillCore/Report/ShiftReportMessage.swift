public import Foundation

/// A ``ShiftReport`` as an email (RFC 5322, MIME): a plain-text part and an HTML part (readable in
/// a mail client, no external images, every name and reason escaped) as alternatives, and the
/// period's orders as a CSV attachment. Every part is UTF-8 in base64, lines end in CRLF.
///
/// The same report, addresses and date give the same bytes, and the Message-ID depends on the
/// station and the period only: a message resent after a crash is the one first sent.
public struct ShiftReportMessage: Sendable, Hashable {
    public let messageID: String
    public let subject: String
    /// The whole message, as the SMTP server receives it after `DATA`.
    public let bytes: [UInt8]

    /// Composes the email for `report`, from `from` to `to`, dated `date`, its times shown in `timeZone`.
    public init(_ report: ShiftReport, from: String, to: [String], date: Date, timeZone: TimeZone) {
        let period = Self.periodText(report.period, timeZone: timeZone)
        messageID = "<shift-report.\(Self.stamp(report.period.start))-\(Self.stamp(report.period.end)).\(report.stationID)@waybill.invalid>"
        subject = "Waybill shift report \(report.stationID): \(report.ordersShipped) shipped, \(report.ordersPacked) packed (\(period))"
        let boundary = "waybill-\(Self.stamp(report.period.end))-mixed"
        let alternative = "waybill-\(Self.stamp(report.period.end))-alternative"
        var message = [
            "From: \(from)",
            "To: \(to.joined(separator: ", "))",
            "Subject: \(subject)",
            "Date: \(Self.rfc5322(date))",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"\(boundary)\"",
            "",
            "--\(boundary)",
            "Content-Type: multipart/alternative; boundary=\"\(alternative)\"",
            "",
            "--\(alternative)",
        ]
        message += Self.part(Self.text(report, timeZone: timeZone), type: "text/plain; charset=utf-8")
        message.append("--\(alternative)")
        message += Self.part(Self.html(report, timeZone: timeZone), type: "text/html; charset=utf-8")
        message.append("--\(alternative)--")
        message.append("--\(boundary)")
        let file = "orders-\(report.stationID)-\(Self.stamp(report.period.end)).csv"
        message += Self.part(Self.csv(report, timeZone: timeZone), type: "text/csv; charset=utf-8; name=\"\(file)\"", attachment: file)
        message.append("--\(boundary)--")
        bytes = Array((message.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// The plain-text part.
    public static func text(_ report: ShiftReport, timeZone: TimeZone) -> String {
        var lines = [
            "Shift report for station \(report.stationID)",
            periodText(report.period, timeZone: timeZone),
            "",
            "Orders packed: \(report.ordersPacked)",
            "Orders shipped: \(report.ordersShipped) (\(report.boxes) boxes, \(report.units) units)",
            "Carrier labels bought: \(money(report.labelCost))",
            "Labels printed: \(report.labelsPrinted), reprinted: \(report.reprints.count), held now: \(report.labelsHeld)",
            "Mistakes caught at the bench: \(report.mistakesCaught); scale overrides: \(report.scaleOverrides)",
            "Offline or degraded: \(report.minutesOffline) min; longest outbox wait: \(minutes(report.longestOutboxWaitSeconds))",
            "Conflicts: \(report.conflicts.reduce(0) { $0 + $1.count }); quarantined changes: \(report.quarantined)",
        ]
        if !report.packers.isEmpty {
            lines += ["", "By packer (packed / mistakes caught / scale overrides):"]
            lines += report.packers.map { "  \($0.name): \($0.ordersPacked) / \($0.mistakesCaught) / \($0.scaleOverrides)" }
        }
        if !report.reprints.isEmpty {
            lines += ["", "Reprints:"] + report.reprints.map { "  \($0.labelID): \($0.reason)" }
        }
        if !report.conflicts.isEmpty {
            lines += ["", "Conflicts by rule:"] + report.conflicts.map { "  \($0.rule), \($0.outcome): \($0.count)" }
        }
        if !report.printerFaults.isEmpty {
            lines += ["", "Printer faults:"] + report.printerFaults.map { "  \($0.printer): \($0.reason) (\($0.count))" }
        }
        lines += ["", "The orders are in the attached CSV file.", ""]
        return lines.joined(separator: "\n")
    }

    /// The HTML part: one self-contained page, every value escaped.
    public static func html(_ report: ShiftReport, timeZone: TimeZone) -> String {
        func row(_ cells: [String], header: Bool = false) -> String {
            let tag = header ? "th" : "td"
            return "<tr>" + cells.map { "<\(tag) style=\"text-align:left;padding:2px 12px 2px 0\">\(HTMLText.escape($0))</\(tag)>" }.joined()
                + "</tr>"
        }
        func table(_ header: [String], _ rows: [[String]]) -> String {
            "<table style=\"border-collapse:collapse\">" + row(header, header: true) + rows.map { row($0) }.joined() + "</table>"
        }
        var html = """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>\(HTMLText.escape("Shift report " + report.stationID))</title></head>
            <body style="font-family:sans-serif">
            <h1 style="font-size:18px">Shift report for station \(HTMLText.escape(report.stationID))</h1>
            <p>\(HTMLText.escape(periodText(report.period, timeZone: timeZone)))</p>

            """
        html += table(
            ["", ""],
            [
                ["Orders packed", "\(report.ordersPacked)"],
                ["Orders shipped", "\(report.ordersShipped) (\(report.boxes) boxes, \(report.units) units)"],
                ["Carrier labels bought", money(report.labelCost)],
                ["Labels printed", "\(report.labelsPrinted)"],
                ["Reprinted", "\(report.reprints.count)"],
                ["Held now", "\(report.labelsHeld)"],
                ["Mistakes caught at the bench", "\(report.mistakesCaught)"],
                ["Scale overrides", "\(report.scaleOverrides)"],
                ["Offline or degraded", "\(report.minutesOffline) min"],
                ["Longest outbox wait", minutes(report.longestOutboxWaitSeconds)],
                ["Quarantined changes", "\(report.quarantined)"],
            ]
        )
        if !report.packers.isEmpty {
            html += "\n<h2 style=\"font-size:15px\">By packer</h2>\n"
            html += table(
                ["Packer", "Packed", "Mistakes caught", "Scale overrides"],
                report.packers.map { [$0.name, "\($0.ordersPacked)", "\($0.mistakesCaught)", "\($0.scaleOverrides)"] }
            )
        }
        if !report.reprints.isEmpty {
            html += "\n<h2 style=\"font-size:15px\">Reprints</h2>\n" + table(["Label", "Reason"], report.reprints.map { [$0.labelID, $0.reason] })
        }
        if !report.conflicts.isEmpty {
            html += "\n<h2 style=\"font-size:15px\">Conflicts</h2>\n"
            html += table(["Rule", "Outcome", "Count"], report.conflicts.map { [$0.rule, $0.outcome, "\($0.count)"] })
        }
        if !report.printerFaults.isEmpty {
            html += "\n<h2 style=\"font-size:15px\">Printer faults</h2>\n"
            html += table(["Printer", "Reason", "Labels"], report.printerFaults.map { [$0.printer, $0.reason, "\($0.count)"] })
        }
        html += "\n<p>The orders are in the attached CSV file.</p>\n</body></html>\n"
        return html
    }

    /// The CSV attachment: one row per order (RFC 4180; a cell a spreadsheet would run as a
    /// formula starts with `'`).
    public static func csv(_ report: ShiftReport, timeZone: TimeZone) -> String {
        let format = Date.ISO8601FormatStyle(timeZone: timeZone)
        var lines = ["order_id,state,packer,boxes,units,label_cost,packed_at,shipped_at"]
        for order in report.orders {
            let cells = [
                order.id, order.state, order.packer ?? "", "\(order.boxes)", "\(order.units)", money(order.labelCost),
                order.packedAt?.formatted(format) ?? "", order.shippedAt?.formatted(format) ?? "",
            ]
            lines.append(cells.map(CSVField.escape).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// "Sat 5 Dec 2026 18:00 – Sun 6 Dec 2026 18:00 (Europe/Berlin)".
    static func periodText(_ period: ShiftPeriod, timeZone: TimeZone) -> String {
        let pattern = "EEE d MMM yyyy HH:mm"
        return "\(format(period.start, pattern, in: timeZone)) - \(format(period.end, pattern, in: timeZone)) (\(timeZone.identifier))"
    }

    private static func part(_ body: String, type: String, attachment: String? = nil) -> [String] {
        var lines = ["Content-Type: \(type)", "Content-Transfer-Encoding: base64"]
        if let attachment { lines.append("Content-Disposition: attachment; filename=\"\(attachment)\"") }
        lines.append("")
        // Text travels with CRLF line ends (RFC 2045's canonical form), whatever it was written with.
        let canonical =
            type.hasPrefix("text/") ? body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n") : body
        let encoded = Data(canonical.utf8).base64EncodedString()
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines
    }

    private static func money(_ value: Double) -> String { String(format: "%.2f", value) }

    private static func minutes(_ seconds: Int) -> String {
        seconds < 60 ? "\(seconds) s" : "\(seconds / 60) min"
    }

    /// `20261206T180000Z`: a time in a Message-ID, a boundary or a file name.
    private static func stamp(_ date: Date) -> String { format(date, "yyyyMMdd'T'HHmmss'Z'", in: TimeZone(identifier: "UTC")!) }

    /// `Sun, 06 Dec 2026 18:00:05 +0000`.
    private static func rfc5322(_ date: Date) -> String { format(date, "EEE, dd MMM yyyy HH:mm:ss '+0000'", in: TimeZone(identifier: "UTC")!) }

    /// `date` in the fixed (English, Gregorian) `pattern`, in `timeZone`.
    private static func format(_ date: Date, _ pattern: String, in timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }
}
