import ArgumentParser
import Foundation
import Logging
import WaybillCore
import WaybillStore

extension WaybillCommand {
    /// `waybill report preview|send|list`: the emailed shift report.
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The shift report: preview it, send it now, list what was sent.",
            subcommands: [Preview.self, Send.self, List.self]
        )

        /// The report settings, or a message saying which keys to set.
        static func settings(_ configuration: StationConfiguration) throws -> ReportSettings {
            guard let report = configuration.report else {
                throw ValidationError("no shift report is configured: set report.to, report.from and smtp.url in \(configuration.sourceFile)")
            }
            return report
        }

        struct Preview: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Show the running (or the last) period's report as text; --html writes its HTML part."
            )
            @OptionGroup var global: GlobalOptions
            @Option(help: "current (the running period, so far) or last (the last period that ended).") var period = "current"
            @Option(help: "Write the HTML part to this file.") var html: String?

            func run() async throws {
                let (configuration, store) = try await global.openStore()
                let settings = try Report.settings(configuration)
                let now = Date()
                let shown: ShiftPeriod
                switch period {
                case "current":
                    let running = settings.schedule.currentPeriod(at: now, calendar: settings.calendar)
                    shown = ShiftPeriod(start: running.start, end: now)
                case "last":
                    shown = settings.schedule.lastPeriod(endingBy: now, calendar: settings.calendar)
                default:
                    throw ValidationError("--period is current or last")
                }
                let reports = ShiftReports(
                    settings: settings,
                    store: store,
                    stationID: configuration.stationID.rawValue,
                    logger: Logger(label: "waybill.report")
                )
                let (report, _) = try reports.compose(shown, now: now)
                if let html {
                    guard
                        FileManager.default.createFile(
                            atPath: html,
                            contents: Data(ShiftReportMessage.html(report, timeZone: settings.timeZone).utf8)
                        )
                    else {
                        throw ValidationError("cannot write \(html)")
                    }
                }
                if global.json {
                    try CommandJSON.print(report)
                } else {
                    print(ShiftReportMessage.text(report, timeZone: settings.timeZone), terminator: "")
                }
            }
        }

        struct Send: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Email the running period's report now (and anything queued or refused before), instead of waiting for the schedule."
            )
            @OptionGroup var global: GlobalOptions
            @Flag(help: "Send now (required: the scheduled report still goes at its time).") var now = false

            func run() async throws {
                guard now else { throw ValidationError("say --now: the agent sends each period's report on its schedule") }
                let (configuration, store) = try await global.openStore()
                let settings = try Report.settings(configuration)
                var logger = Logger(label: "waybill.report")
                logger.logLevel = .error
                let reports = ShiftReports(settings: settings, store: store, stationID: configuration.stationID.rawValue, logger: logger)
                let key = try reports.queueSoFar(now: Date())
                try reports.requeueDead(now: Date())
                let pass = await reports.sendDue()
                // A running agent takes over what is left (a report the server asked to retry later).
                let socket = ControlSocket.path(storePath: configuration.storePath)
                _ = try? await Task.detached { try ControlSocket.send(ControlSocket.Request(command: "report"), to: socket) }.value
                let failed = try store.reports().filter { pass.failed.contains($0.periodKey) }
                if global.json {
                    try CommandJSON.print(object: [
                        "queued": key, "sent": pass.sent, "failed": failed.map { ["period": $0.periodKey, "error": $0.lastError ?? ""] },
                    ])
                } else {
                    for period in pass.sent { print("sent the report of \(period)") }
                    for report in failed { print("not sent: \(report.periodKey): \(report.lastError ?? "?")") }
                }
                if !failed.isEmpty { throw ExitCode(1) }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "The reports composed: period, state, attempts, last error.")
            @OptionGroup var global: GlobalOptions

            func run() async throws {
                let (_, store) = try await global.openStore()
                let reports = try store.reports()
                if global.json {
                    try CommandJSON.print(
                        reports.map { report in
                            ReportRow(
                                period: report.periodKey,
                                state: report.state,
                                messageID: report.messageID,
                                attempts: report.attempts,
                                lastError: report.lastError,
                                sentAt: report.sentAt
                            )
                        }
                    )
                } else {
                    for report in reports {
                        print("\(report.periodKey)  \(report.state)  attempts \(report.attempts)\(report.lastError.map { "  \($0)" } ?? "")")
                    }
                }
            }
        }

        struct ReportRow: Encodable {
            let period: String
            let state: String
            let messageID: String
            let attempts: Int
            let lastError: String?
            let sentAt: Date?

            enum CodingKeys: String, CodingKey {
                case period, state, attempts
                case messageID = "message_id"
                case lastError = "last_error"
                case sentAt = "sent_at"
            }
        }
    }
}
