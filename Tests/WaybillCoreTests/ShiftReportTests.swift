import Foundation
import Testing
import WaybillCore
import WaybillTestSupport

@Suite struct ShiftReportTests {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = berlin
        return calendar
    }

    static func date(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    @Test func schedules_parse_andRefuseWhatTheyAreNot() throws {
        #expect(try ShiftSchedule(parsing: "18:00") == .daily(hour: 18, minute: 0))
        #expect(try ShiftSchedule(parsing: " 6:30 ") == .daily(hour: 6, minute: 30))
        #expect(try ShiftSchedule(parsing: "every 8h") == .every(hours: 8))
        for bad in ["24:00", "18:60", "18", "every 5h", "every h", "six", "", "18:00:00"] {
            #expect(throws: ShiftScheduleError.self, "\(bad)") { try ShiftSchedule(parsing: bad) }
        }
    }

    @Test func aDailyReport_coversTheDayBeforeItsTime_inTheStationsTimeZone() throws {
        let schedule = try ShiftSchedule(parsing: "18:00")
        // 19:30 in Berlin (18:30Z, winter): the period that ended at 18:00 local today.
        let period = schedule.lastPeriod(endingBy: Self.date("2026-12-06T18:30:00Z"), calendar: Self.calendar)
        #expect(period.key == "2026-12-05T17:00:00Z/2026-12-06T17:00:00Z")
        // 16:59 local: still yesterday's.
        let earlier = schedule.lastPeriod(endingBy: Self.date("2026-12-06T15:59:00Z"), calendar: Self.calendar)
        #expect(earlier.key == "2026-12-04T17:00:00Z/2026-12-05T17:00:00Z")
        let running = schedule.currentPeriod(at: Self.date("2026-12-06T15:59:00Z"), calendar: Self.calendar)
        #expect(running.key == "2026-12-05T17:00:00Z/2026-12-06T17:00:00Z")
        // Across the spring change of clocks the day is 23 hours, still 18:00 to 18:00 local.
        let spring = schedule.lastPeriod(endingBy: Self.date("2026-03-29T17:00:00Z"), calendar: Self.calendar)
        #expect(spring.key == "2026-03-28T17:00:00Z/2026-03-29T16:00:00Z")
    }

    @Test func everyEightHours_fromLocalMidnight() throws {
        let schedule = try ShiftSchedule(parsing: "every 8h")
        let period = schedule.lastPeriod(endingBy: Self.date("2026-12-06T10:00:00Z"), calendar: Self.calendar)  // 11:00 local
        #expect(period.key == "2026-12-05T23:00:00Z/2026-12-06T07:00:00Z")
        let first = schedule.lastPeriod(endingBy: Self.date("2026-12-06T00:30:00Z"), calendar: Self.calendar)  // 01:30 local
        #expect(first.key == "2026-12-05T15:00:00Z/2026-12-05T23:00:00Z")
    }

    static func report(_ text: String = "Ada") -> ShiftReport {
        var report = ShiftReport(
            stationID: "station-7",
            period: ShiftPeriod(start: date("2026-12-05T17:00:00Z"), end: date("2026-12-06T17:00:00Z"))
        )
        report.ordersPacked = 3
        report.ordersShipped = 2
        report.packers = [ShiftReport.Packer(name: text, ordersPacked: 3, mistakesCaught: 1, scaleOverrides: 1)]
        report.reprints = [ShiftReport.Reprint(labelID: "L-1-R1", reason: text)]
        report.printerFaults = [ShiftReport.PrinterFault(printer: "zebra-1", reason: text, count: 2)]
        report.orders = [
            ShiftReport.Order(id: "O-1", state: "shipped", packer: text, boxes: 1, units: 2, labelCost: 7.5, packedAt: nil, shippedAt: nil)
        ]
        return report
    }

    @Test func theMessage_isTheSameBytesForTheSameReport_withAMessageIDOfItsPeriod() {
        let date = Self.date("2026-12-06T17:00:05Z")
        let first = ShiftReportMessage(Self.report(), from: "s7@example.com", to: ["a@example.com"], date: date, timeZone: Self.berlin)
        let again = ShiftReportMessage(Self.report(), from: "s7@example.com", to: ["a@example.com"], date: date, timeZone: Self.berlin)
        #expect(first.bytes == again.bytes)
        #expect(first.messageID == "<shift-report.20261205T170000Z-20261206T170000Z.station-7@waybill.invalid>")
        let text = String(decoding: first.bytes, as: UTF8.self)
        #expect(text.contains("\r\nDate: Sun, 06 Dec 2026 17:00:05 +0000\r\n"))
        #expect(text.split(separator: "\r\n", omittingEmptySubsequences: false).allSatisfy { $0.utf8.count <= 998 && !$0.contains("\n") })
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "headers ASCII, parts base64")
        // Each text part decodes to CRLF line ends (RFC 2045's canonical form for text).
        for type in ["text/plain", "text/html", "text/csv"] {
            let part = text.components(separatedBy: "Content-Type: " + type)[1].components(separatedBy: "\r\n\r\n")[1].components(
                separatedBy: "\r\n--"
            )[0]
            let decoded = String(decoding: Data(base64Encoded: part.replacingOccurrences(of: "\r\n", with: "")) ?? Data(), as: UTF8.self)
            #expect(!decoded.isEmpty && decoded.replacingOccurrences(of: "\r\n", with: "").allSatisfy { $0 != "\n" && $0 != "\r" }, "\(type)")
        }
        #expect(ShiftReportMessage.text(Self.report(), timeZone: Self.berlin).contains("Sat 5 Dec 2026 18:00 - Sun 6 Dec 2026 18:00 (Europe/Berlin)"))
    }

    @Test func hostileText_isEscapedInTheHTMLPart() {
        for text in HostileStrings.all {
            let html = ShiftReportMessage.html(Self.report(text), timeZone: Self.berlin)
            let escaped = HTMLText.escape(text)
            #expect(!escaped.contains("<") && !escaped.contains(">") && !escaped.contains("\""))
            if text.contains("<") { #expect(!html.contains(text), "raw: \(text.prefix(40).debugDescription)") }
            if !escaped.isEmpty { #expect(html.contains(escaped), "escaped: \(text.prefix(40).debugDescription)") }
        }
        #expect(HTMLText.escape("<script>alert('x')</script>&") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;")
    }

    @Test func csvCells_areQuoted_andNeverAFormula() {
        #expect(CSVField.escape("plain") == "plain")
        #expect(CSVField.escape("a,b") == "\"a,b\"")
        #expect(CSVField.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVField.escape("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"")
        #expect(CSVField.escape("+1") == "+1", "a number stays a number")
        #expect(CSVField.escape("@SUM(A1)") == "'@SUM(A1)")
        let csv = ShiftReportMessage.csv(Self.report("=cmd|' /C calc'!A0"), timeZone: Self.berlin)
        #expect(csv.contains("O-1,shipped,'=cmd|' /C calc'!A0,1,2,7.50,,"))
    }
}
