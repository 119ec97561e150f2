import Foundation
import Logging
import Testing
import WaybillHTTP
import WaybillStore
import WaybillTestSupport

@testable import WaybillAgent

/// The shift report sent to a real SMTP server (aiosmtpd over loopback, STARTTLS and AUTH) by the
/// real `waybill` binary: what arrives, how often, and what never leaves the station.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ShiftReportMailTests {
    static let password = "hunter2-smtp-password"

    /// A station-7 configuration with a shift report through `server` (its certificate trusted).
    static func station(_ server: SMTPTestServer, auth: Bool = true, extra: String = "") throws -> ConfigFixture {
        let fixture = try ConfigFixture()
        let passwordFile = fixture.folder.file("smtp.password")
        _ = FileManager.default.createFile(atPath: passwordFile, contents: Data((password + "\n").utf8))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passwordFile)
        var smtp = "smtp:\n  url: \(server.url)\n"
        if let certificate = server.certificate { smtp += "  ca_file: \(certificate)\n" }
        if auth { smtp += "  user: reports\n  password_file: \(passwordFile)\n" }
        let yaml = try String(contentsOfFile: fixture.configPath, encoding: .utf8)
        try fixture.write(
            yaml + """

                report:
                  to: supervisor@example.com, night-shift@example.com
                  from: station-7@example.com
                  schedule: "18:00"
                  time_zone: Europe/Berlin
                  retry_base: 200ms
                \(smtp)\(extra)
                """
        )
        return fixture
    }

    /// The parts of a received message, read by Python's `email` package: one line per part
    /// (`content type|filename|decoded text`), the headers first.
    static func parse(_ message: String, in folder: TemporaryDirectory) throws -> [String: String] {
        let path = folder.file("received.eml")
        try message.write(toFile: path, atomically: true, encoding: .utf8)
        let script = """
            import email, json, sys
            from email import policy
            m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=policy.default)
            out = {h: str(m[h]) for h in ["From", "To", "Subject", "Message-ID", "Date", "X-TLS", "X-Envelope-To"]}
            out["structure"] = ",".join(p.get_content_type() for p in m.walk())
            for p in m.walk():
                if not p.is_multipart():
                    out[p.get_content_type()] = p.get_content()
                    if p.get_filename(): out["filename"] = p.get_filename()
            print(json.dumps(out))
            """
        let json = try ChildProcess.run(["/usr/bin/python3", "-c", script, path])
        return try JSONDecoder().decode([String: String].self, from: Data(json.utf8))
    }

    @Test func aReport_arrivesOverSTARTTLSWithAUTH_asTextHTMLAndACSV_withoutASecret() async throws {
        let folder = try TemporaryDirectory()
        let server = try await SMTPTestServer(in: folder, auth: ("reports", Self.password))
        let station = try Self.station(server)
        let sent = try await WaybillBinary.run(["report", "send", "--now", "--json", "--config", station.configPath])
        #expect(sent.status == .exited(0), "\(sent.standardOutput)\(sent.standardError)")
        let messages = server.messages()
        try #require(messages.count == 1)
        let mail = try Self.parse(messages[0], in: folder)
        #expect(mail["X-TLS"] == "yes", "STARTTLS before MAIL")
        #expect(mail["From"] == "station-7@example.com")
        #expect(mail["X-Envelope-To"] == "supervisor@example.com,night-shift@example.com")
        #expect(mail["Subject"]?.hasPrefix("Waybill shift report station-7: 0 shipped, 0 packed") == true, "\(mail)")
        #expect(mail["Message-ID"]?.hasSuffix(".station-7@waybill.invalid>") == true)
        #expect(mail["structure"] == "multipart/mixed,multipart/alternative,text/plain,text/html,text/csv", "\(mail)")
        #expect(mail["text/plain"]?.contains("Shift report for station station-7") == true)
        #expect(mail["text/html"]?.contains("<h1") == true && mail["text/html"]?.contains("src=") == false, "no external images")
        #expect(mail["text/csv"]?.hasPrefix("order_id,state,packer,boxes,units,label_cost,packed_at,shipped_at") == true)
        #expect(mail["filename"]?.hasSuffix(".csv") == true)
        // Neither the SMTP password nor the station secret leaves in the mail or the station's log.
        #expect(!messages[0].contains(Self.password) && !messages[0].contains("s3cret"))
        #expect(!sent.standardOutput.contains(Self.password) && !sent.standardError.contains(Self.password))
    }

    @Test(arguments: [421, 451])
    func aServerThatSaysTryLater_getsTheReportOnce_whenItAccepts(_ code: Int) async throws {
        let folder = try TemporaryDirectory()
        let server = try await SMTPTestServer(in: folder, auth: ("reports", Self.password), refuse: (count: 2, code: code))
        let station = try Self.station(server)
        let agent = try AgentProcess.start(config: station.configPath)
        defer { agent.stop() }
        try await agent.waitForLog("Agent started")
        // The command's own try is refused (451); the agent retries with backoff until accepted.
        let sent = try await WaybillBinary.run(["report", "send", "--now", "--config", station.configPath])
        #expect(sent.status == .exited(1), "\(sent.standardOutput)")
        #expect(sent.standardOutput.contains("\(code)"), "the server's answer is shown: \(sent.standardOutput)")
        try await agent.poll("the report was not sent") { try await Self.reportStates(station) == ["sent"] }
        #expect(server.messages().count == 1)
        let list = try await WaybillBinary.run(["report", "list", "--json", "--config", station.configPath])
        #expect(list.standardOutput.contains("\"attempts\":3") || list.standardOutput.contains("\"attempts\" : 3"), "\(list.standardOutput)")
    }

    @Test func killedWhileSending_theRestartedAgentSendsIt_exactlyOnce() async throws {
        let folder = try TemporaryDirectory()
        let server = try await SMTPTestServer(in: folder, auth: ("reports", Self.password), hold: true)
        let station = try Self.station(server)
        // `report send --now` is killed while the server holds its DATA unanswered.
        let sender = try ChildProcess.spawn(
            [WaybillBinary.path, "report", "send", "--now", "--config", station.configPath],
            logPath: folder.file("send.log"),
            environment: ChildProcess.cleanEnvironment
        )
        try await ChildProcess.poll("the server never held a message") { server.isHolding }
        #expect(ChildProcess.signalAndWait(sender, SIGKILL) == 128 + SIGKILL)
        server.release()
        #expect(server.messages().isEmpty)
        let agent = try AgentProcess.start(config: station.configPath)
        defer { agent.stop() }
        try await agent.poll("the restarted agent did not send the report") { try await Self.reportStates(station) == ["sent"] }
        let messages = server.messages()
        #expect(messages.count == 1)
        let ids = messages.map { $0.components(separatedBy: "Message-ID: ").last?.prefix { $0 != "\r" && $0 != "\n" } ?? "" }
        #expect(Set(ids).count == 1)
    }

    @Test func aServerWithoutSTARTTLS_isRefused_unlessPlainTextIsAllowed() async throws {
        let folder = try TemporaryDirectory()
        let server = try await SMTPTestServer(in: folder, tls: false)
        let station = try Self.station(server, auth: false)
        let refused = try await WaybillBinary.run(["report", "send", "--now", "--config", station.configPath])
        #expect(refused.status == .exited(1))
        #expect(refused.standardOutput.contains("STARTTLS") && refused.standardOutput.contains("smtp.allow_plaintext"), "\(refused.standardOutput)")
        #expect(server.messages().isEmpty)
        let allowed = try Self.station(server, auth: false, extra: "  allow_plaintext: true\n")
        let sent = try await WaybillBinary.run(["report", "send", "--now", "--config", allowed.configPath])
        #expect(sent.status == .exited(0), "\(sent.standardOutput)\(sent.standardError)")
        #expect(server.messages().count == 1 && server.messages()[0].contains("X-TLS: no"))
    }

    @Test func aRefusal_isADeadLetter_shownByStatusAndMetrics() async throws {
        let folder = try TemporaryDirectory()
        let server = try await SMTPTestServer(in: folder, auth: ("reports", Self.password), refuse: (count: 1, code: 550))
        let station = try Self.station(server)
        // The agent's local HTTP on, for /metrics.
        let yaml = try String(contentsOfFile: station.configPath, encoding: .utf8)
        try station.write(yaml.replacingOccurrences(of: "listen: off", with: "listen: 127.0.0.1:0"))
        let agent = try AgentProcess.start(config: station.configPath)
        defer { agent.stop() }
        try await agent.waitForLog("Agent started")
        let sent = try await WaybillBinary.run(["report", "send", "--now", "--config", station.configPath])
        #expect(sent.status == .exited(1) && sent.standardOutput.contains("550"), "\(sent.standardOutput)")
        #expect(try await Self.reportStates(station) == ["dead"])
        let status = try await WaybillBinary.run(["status", "--json", "--config", station.configPath])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.standardOutput.utf8)) as? [String: Any])
        let report = try #require(json["report"] as? [String: Any], "\(status.standardOutput)")
        #expect(report["dead"] as? Int == 1)
        #expect((report["last_error"] as? String)?.contains("550") == true)
        let http = CurlHTTPClient()
        let url = try await agent.httpBase() + "/metrics"
        try await agent.poll("the agent's metrics never counted the dead letter") {
            let metrics = try PrometheusText.parse(try await http.send(HTTPRequest(url: url)).text)
            return metrics["waybill_report_dead_letters"] == 1 && metrics["waybill_report_queued"] == 0
        }
        // `send --now` composes the refused report again and sends it (the server accepts now),
        // with the report so far (the same report when both fall in one second); the running
        // agent may take either.
        let again = try await WaybillBinary.run(["report", "send", "--now", "--config", station.configPath])
        #expect(again.status == .exited(0), "\(again.standardOutput)")
        try await agent.poll("the refused report was not sent again") {
            let states = try await Self.reportStates(station)
            return !states.isEmpty && states.allSatisfy { $0 == "sent" } && server.messages().count == states.count
        }
    }

    @Test func unusableSettings_leaveTheReportWaiting_withTheReason() async throws {
        let folder = try TemporaryDirectory()
        let server = try await SMTPTestServer(in: folder, auth: ("reports", Self.password))
        let station = try Self.station(server)
        try FileManager.default.removeItem(atPath: station.folder.file("smtp.password"))
        let sent = try await WaybillBinary.run(["report", "send", "--now", "--config", station.configPath])
        #expect(sent.status == .exited(1))
        #expect(sent.standardOutput.contains("smtp.password_file"), "\(sent.standardOutput)")
        #expect(try await Self.reportStates(station) == ["queued"], "not a dead letter: fixing the file is enough")
    }

    @Test func doctor_checksTheServerTLSAndLogin_withoutSendingMail() async throws {
        let folder = try TemporaryDirectory()
        let server = try await SMTPTestServer(in: folder, auth: ("reports", Self.password))
        let station = try Self.station(server)
        let good = try await WaybillBinary.run(["doctor", "--config", station.configPath])
        let line = good.standardOutput.split(separator: "\n").first { $0.contains("smtp") }.map(String.init) ?? ""
        #expect(line.contains("STARTTLS verified") && line.contains("login reports accepted"), "\(good.standardOutput)")
        #expect(server.messages().isEmpty, "a check sends no mail")
        _ = FileManager.default.createFile(atPath: station.folder.file("smtp.password"), contents: Data("wrong\n".utf8))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: station.folder.file("smtp.password"))
        let bad = try await WaybillBinary.run(["doctor", "--config", station.configPath])
        let refused = bad.standardOutput.split(separator: "\n").first { $0.contains("smtp") }.map(String.init) ?? ""
        #expect(refused.contains("535") || refused.contains("login"), "\(bad.standardOutput)")
        #expect(!bad.standardOutput.contains("wrong") && !good.standardOutput.contains(Self.password), "no password printed")
    }

    /// The states of the station's reports (`waybill report list --json`).
    static func reportStates(_ station: ConfigFixture) async throws -> [String] {
        let list = try await WaybillBinary.run(["report", "list", "--json", "--config", station.configPath])
        let rows = try JSONSerialization.jsonObject(with: Data(list.standardOutput.utf8)) as? [[String: Any]] ?? []
        return rows.compactMap { $0["state"] as? String }
    }
}

/// The shift report's figures from a station that really packed, labelled, printed and shipped.
@Suite(.serialized, .timeLimit(.minutes(4))) struct ShiftReportFiguresTests {
    @Test func aStationsDay_isCountedAsItHappened() async throws {
        // A daily report due twelve hours from now: the whole test runs inside one period.
        let hour = (Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date()).hour! + 12) % 24
        let report = """
            report:
              to: supervisor@example.com
              from: station-1@example.com
              schedule: "\(hour < 10 ? "0" : "")\(hour):00"
              time_zone: UTC
            smtp:
              url: smtp://127.0.0.1:9
            """
        let station = try await AutonomousStation.start(orders: 6, extra: report)
        defer { station.stop() }
        let agent = try station.startAgent()
        defer { agent.kill() }
        let store = try station.store()
        try await agent.poll(timeout: .seconds(120), "the station never shipped its orders") { try station.drained(store) }
        let orders = try station.stationOrders(store)
        let preview = try await WaybillBinary.run(["report", "preview", "--json", "--config", station.station.configPath])
        #expect(preview.status == .exited(0), "\(preview.standardError)")
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(preview.standardOutput.utf8)) as? [String: Any])
        #expect(figures["orders_shipped"] as? Int == orders.count, "\(preview.standardOutput)")
        #expect(figures["orders_packed"] as? Int == orders.count)
        let status = try store.status()
        #expect(figures["labels_printed"] as? Int == status.printJobs[.printed], "every label printed today")
        let rows = try #require(figures["orders"] as? [[String: Any]])
        #expect(Set(rows.compactMap { $0["id"] as? String }) == Set(orders.map(\.id)))
        #expect((figures["boxes"] as? Int ?? 0) >= orders.count && (figures["units"] as? Int ?? 0) >= orders.count)
        #expect((figures["label_cost"] as? Double ?? 0) > 0, "carrier labels cost something")
        let text = try await WaybillBinary.run(["report", "preview", "--config", station.station.configPath])
        #expect(text.standardOutput.contains("Orders shipped: \(orders.count)"), "\(text.standardOutput)")
    }
}

/// When the agent queues a report on its own: once per period that ended, never for a time before
/// the station existed.
@Suite struct ShiftReportScheduleTests {
    @Test func eachPeriodThatEnds_isQueuedOnce_andNoneBeforeTheStationExisted() throws {
        let (folder, store) = try WaybillStore.fixture()
        defer { withExtendedLifetime(folder) {} }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let settings = ReportSettings(
            to: ["supervisor@example.com"],
            from: "station-1@example.com",
            schedule: .every(hours: 8),
            timeZone: calendar.timeZone,
            retryBase: .seconds(1),
            smtpURL: "smtp://127.0.0.1:9",
            smtpUser: nil,
            smtpPasswordFile: nil,
            smtpCAFile: nil,
            smtpAllowPlaintext: false
        )
        let reports = ShiftReports(settings: settings, store: store, stationID: "station-1", logger: Logger(label: "test"))
        let now = Date()
        #expect(try reports.queueDue(now: now).isEmpty, "the period that last ended began before this station existed")
        // A minute after the next boundary (every 8 h from midnight, UTC): the period running when
        // the station was created has ended.
        let boundary = settings.schedule.currentPeriod(at: now, calendar: calendar).end
        let later = boundary.addingTimeInterval(60)
        let first = try reports.queueDue(now: later)
        #expect(first.count == 1)
        #expect(try reports.queueDue(now: later).isEmpty, "queued once")
        #expect(try reports.queueDue(now: later.addingTimeInterval(3600)).isEmpty, "the same period an hour on")
        // Switched off for three periods: each is queued when the station starts again, oldest first.
        let back = try reports.queueDue(now: later.addingTimeInterval(3 * 8 * 3600))
        #expect(back.count == 3 && back.sorted() == back && !back.contains(first[0]))
        #expect(try store.reports().count == 4)
    }
}
