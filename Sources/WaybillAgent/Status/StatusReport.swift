import Foundation
import WaybillCore
import WaybillStore

/// What `waybill status` shows, as text for people and as JSON with stable snake_case keys for scripts.
/// Its state and problems are the health model's (``HealthRules``): the running agent's, or, with no
/// agent, what the same rules make of the database, the disks, the printers and the scale.
struct StatusReport: Encodable {
    struct Outbox: Encodable {
        let depth: Int
        /// Seconds; `null` when nothing is pending.
        @NullWhenAbsent var oldestPendingAgeSeconds: Double?
        let deadLetters: Int
        let held: Int

        enum CodingKeys: String, CodingKey {
            case depth
            case oldestPendingAgeSeconds = "oldest_pending_age_s"
            case deadLetters = "dead_letters"
            case held
        }
    }

    /// What the sync engine last recorded.
    struct Sync: Encodable {
        let connectivity: String
        @NullWhenAbsent var lastPullAt: String?
        @NullWhenAbsent var lastPushAt: String?
        let caughtUp: Bool
        /// Feed positions behind the central feed's head (nil: not known yet).
        @NullWhenAbsent var cursorLag: Int?
        @NullWhenAbsent var lastError: String?
        let quarantined: Int

        enum CodingKeys: String, CodingKey {
            case connectivity
            case lastPullAt = "last_pull_at"
            case lastPushAt = "last_push_at"
            case caughtUp = "caught_up"
            case cursorLag = "cursor_lag"
            case lastError = "last_error"
            case quarantined
        }
    }

    /// Where carrier labels come from (`hub`, or `shipengine` with `shipping.*`) and the purchases
    /// the provider refused as they are, in its words.
    struct CarrierLabels: Encodable {
        struct Refusal: Encodable {
            let orderID: String
            let boxNo: Int
            let reason: String
            let at: String
            enum CodingKeys: String, CodingKey {
                case orderID = "order_id"
                case boxNo = "box_no"
                case reason, at
            }
        }
        let provider: String
        /// The carrier label's document: `zpl` or `pdf`.
        var format = "zpl"
        /// How planned boxes are priced: `live` (the provider's rates) or `table`.
        var prices = "table"
        let refused: [Refusal]
        /// The provider's last failure, while its label rounds wait.
        @NullWhenAbsent var lastError: String?
        /// Why the provider's live prices are not used now, while the rate table prices boxes.
        @NullWhenAbsent var livePricesError: String?
        enum CodingKeys: String, CodingKey {
            case provider, format, prices, refused
            case lastError = "last_error"
            case livePricesError = "live_prices_error"
        }
    }

    /// The shift report's outbox (`report.*` configured): reports waiting, dead letters (a 5xx
    /// answer, shown until someone sends them again with `waybill report send --now`), the last sent.
    struct ReportOutbox: Encodable {
        let queued: Int
        let dead: Int
        @NullWhenAbsent var lastSentAt: String?
        @NullWhenAbsent var lastError: String?

        enum CodingKeys: String, CodingKey {
            case queued, dead
            case lastSentAt = "last_sent_at"
            case lastError = "last_error"
        }
    }

    let stationID: String
    let epoch: Int
    let schemaVersion: Int
    let version: String
    let database: String
    let configFile: String
    let outbox: Outbox
    let conflictsOpen: Int
    let cursors: [String: String]
    let printJobs: [String: Int]
    let sync: Sync
    /// Auto mode, printers and held labels; nil when not read (the diagnostics bundle).
    let printing: PrintingStatus?
    /// The bench scale as the running agent reads it; nil without a scale or when not read.
    let scale: ScaleState?
    /// Where carrier labels are bought, and purchases the provider refused (waiting for a person).
    var labels: CarrierLabels
    /// The shift report's outbox; null without a report configured.
    @NullWhenAbsent var report: ReportOutbox?
    /// The health model's problems, most urgent first: cause, since when, what it blocks, what to do.
    let health: [HealthProblem]
    /// The same problems, one sentence each, as `/healthz` prints them; empty when all is well.
    let problems: [String]
    /// `ok`, or `degraded` when there are ``problems`` (`waybill status` then exits 3).
    let state: String

    enum CodingKeys: String, CodingKey {
        case stationID = "station_id"
        case epoch
        case schemaVersion = "schema_version"
        case version
        case database
        case configFile = "config_file"
        case outbox
        case conflictsOpen = "conflicts_open"
        case cursors
        case printJobs = "print_jobs"
        case sync
        case printing
        case scale
        case labels
        case report
        case state
        case problems
        case health
    }

    /// The station's report now, read from its store: its identity, outbox, sync state, printers
    /// and health; `scale` is the bench scale as the agent last read it (nil for none).
    static func read(configuration: StationConfiguration, store: WaybillStore, scale: ScaleState?) async throws -> StatusReport {
        let identity = try store.identity(for: configuration.stationID)
        let printing = try await PrintingStatus.read(configuration: configuration, store: store)
        let (status, syncState) = (try store.status(), try store.syncState())
        var report = StatusReport(
            configuration: configuration,
            identity: identity,
            status: status,
            syncState: syncState,
            printing: printing,
            scale: scale,
            health: await HealthReading.read(configuration: configuration, status: status, syncState: syncState, printing: printing, scale: scale)
        )
        report.labels = CarrierLabels(
            provider: configuration.shipping == nil ? "hub" : "shipengine",
            refused: try store.labelRefusals().map {
                CarrierLabels.Refusal(orderID: $0.orderID, boxNo: $0.boxNo, reason: $0.reason, at: ISO8601DateFormatter().string(from: $0.at))
            },
            lastError: syncState[.labelsError]
        )
        report.labels.format = configuration.shipping?.labelFormat.rawValue ?? "zpl"
        report.labels.prices = configuration.shipping?.liveRates == true ? "live" : "table"
        if report.labels.prices == "live" { report.labels.livePricesError = syncState[.livePricesError] }
        if configuration.report != nil {
            let outbox = try store.reportOutboxSummary()
            report.report = ReportOutbox(
                queued: outbox.queued,
                dead: outbox.dead,
                lastSentAt: outbox.lastSentAt.map { ISO8601DateFormatter().string(from: $0) },
                lastError: outbox.lastError
            )
        }
        return report
    }

    init(
        configuration: StationConfiguration,
        identity: StationIdentity,
        status: StoreStatus,
        syncState: [SyncStateKey: String],
        printing: PrintingStatus? = nil,
        scale: ScaleState? = nil,
        health: [HealthProblem]
    ) {
        stationID = identity.stationID.rawValue
        epoch = identity.epoch
        schemaVersion = status.schemaVersion
        version = WaybillVersion.current
        database = configuration.storePath
        configFile = configuration.sourceFile
        outbox = Outbox(
            depth: status.outboxDepth,
            oldestPendingAgeSeconds: status.oldestPendingAge.map { ($0 * 10).rounded() / 10 },
            deadLetters: status.deadLetters,
            held: status.held
        )
        func time(_ key: SyncStateKey) -> String? {
            syncState[key].flatMap(Double.init).map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: $0)) }
        }
        sync = Sync(
            connectivity: syncState[.connectivity] ?? "unknown",
            lastPullAt: time(.lastPullAt),
            lastPushAt: time(.lastPushAt),
            caughtUp: syncState[.caughtUp] == "true",
            cursorLag: syncState[.cursorLag].flatMap { Int($0) },
            lastError: syncState[.lastError],
            quarantined: status.quarantined
        )
        conflictsOpen = status.conflictsOpen
        cursors = status.cursors
        printJobs = Dictionary(uniqueKeysWithValues: status.printJobs.map { ($0.key.rawValue, $0.value) })
        self.printing = printing
        self.scale = scale
        labels = CarrierLabels(provider: configuration.shipping == nil ? "hub" : "shipengine", refused: [])
        self.health = health
        problems = health.map(\.sentence)
        state = problems.isEmpty ? "ok" : "degraded"
    }

    func json() throws -> String {
        try CommandJSON.text(self)
    }

    func text() -> String {
        let oldest = outbox.oldestPendingAgeSeconds.map { ", oldest \(Int($0)) s" } ?? ""
        let cursorText = cursors.isEmpty ? "none yet" : cursors.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        let jobs = PrintJobState.allCases.map { "\(printJobs[$0.rawValue] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        return [
            row("State", problems.isEmpty ? "ok" : "degraded: " + problems.joined(separator: "; ")),
            row("Station", "\(stationID) (epoch \(epoch))"),
            row("Version", version),
            row("Database", "\(database) (schema \(schemaVersion))"),
            row("Config", configFile),
            row(
                "Sync",
                "\(sync.connectivity); last pull \(sync.lastPullAt ?? "never"), last push \(sync.lastPushAt ?? "never")"
                    + (sync.cursorLag.map { ", cursor lag \($0)" } ?? "")
            ),
            row("Outbox", "\(outbox.depth) pending\(oldest), \(outbox.held) held, \(outbox.deadLetters) dead letters"),
            row("Conflicts", "\(conflictsOpen) need a person"),
            row("Cursors", cursorText + (sync.quarantined > 0 ? "; \(sync.quarantined) quarantined changes" : "")),
            row("Print jobs", jobs),
            row(
                "Labels",
                "bought from \(labels.provider) as \(labels.format.uppercased()), priced "
                    + (labels.prices == "live" ? "live" : "from the rate table")
                    + (labels.livePricesError.map { " (now from the rate table: \($0))" } ?? "")
                    + (labels.lastError.map { "; failing: \($0)" } ?? "")
                    + (labels.refused.isEmpty
                        ? ""
                        : "; \(labels.refused.count) refused: "
                            + labels.refused.prefix(3).map { "order \($0.orderID) box \($0.boxNo): \($0.reason)" }.joined(separator: "; "))
            ),
        ]
        .joined(separator: "\n") + ((printing?.rows ?? []) + (scale.map { [$0.row] } ?? []) + reportRows).map { "\n" + row($0.0, $0.1) }.joined()
    }

    /// The shift report's row, when one is configured.
    private var reportRows: [(String, String)] {
        guard let report else { return [] }
        return [
            (
                "Report",
                "\(report.queued) waiting, \(report.dead) refused (dead letters), last sent \(report.lastSentAt ?? "never")"
                    + (report.lastError.map { "; last error: \($0)" } ?? "")
            )
        ]
    }

    private func row(_ label: String, _ value: String) -> String {
        label.padding(toLength: 12, withPad: " ", startingAt: 0) + value
    }
}
