import Logging
import ServiceLifecycle
import UnixSignals
import WaybillCore
import WaybillPrint
import WaybillScale
import WaybillStation
import WaybillStore
import WaybillSync

/// The long-running services of one agent, composed for its `ServiceGroup`, and the state they share.
struct AgentServices {
    let configuration: StationConfiguration
    let store: WaybillStore
    let logger: Logger
    /// The sync engine, when the station has credentials.
    let engine: SyncEngine?
    let notifier: SystemdNotifier
    let wake = WakeSignal()
    let metrics = AgentMetrics()
    /// The station's health model, which every surface shows.
    let health: StationHealth
    let events = OrderEventBroadcaster()
    let settings: RuntimeSettings
    /// The print spooler, when a printer is configured.
    let spooler: PrintSpooler?
    /// Wakes the autonomous mode early.
    let autopilotWake = WakeSignal()
    /// Wakes the shift report's service: `waybill report send --now` left a report for it to retry.
    let reportWake = WakeSignal()
    /// The bench scale's reader, when `scale.device` is set.
    let scale: ScaleReader?
    /// Client resets asked for over the control socket while the agent runs.
    let resyncs = ForcedResyncs()
    /// Pauses the autopilot during a forced resync.
    let autopilotGate = RoundGate()
    /// Woken once the local HTTP server listens.
    private let httpListening = WakeSignal()
    /// The label provider's live prices for the planner (`shipping.live_rates`), when it has any.
    let liveRates: LiveRates?

    init(configuration: StationConfiguration, store: WaybillStore, logger: Logger, engine: SyncEngine?, notifier: SystemdNotifier) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
        self.engine = engine
        self.notifier = notifier
        liveRates = SyncComposition.liveRates(configuration: configuration, engine: engine, store: store, logger: logger)
        // What an earlier run recorded of the provider's prices is not this run's.
        liveRates?.clearRecordedProblem()
        settings = RuntimeSettings(configuration)
        settings.recordDocumentPrinter(in: store, logger: logger)
        spooler =
            configuration.labelPrinter == nil && configuration.documentPrinter == nil
            ? nil
            : PrintSpooler(
                client: CupsClient(server: configuration.cupsServer),
                ledger: StorePrintJobLedger(store: store),
                spool: Spool(directory: configuration.spoolPath),
                logger: logger,
                blockingLane: BlockingExecutor.shared
            )
        scale = configuration.scale.flatMap { settings in
            do {
                return try ScaleReader(device: settings.device, scaleProtocol: settings.scaleProtocol, baud: settings.baud, logger: logger)
            } catch {
                logger.error("The scale cannot be read; packers type weights", metadata: ["reason": "\(error)"])
                return nil
            }
        }
        health = StationHealth(
            store: store,
            storePath: configuration.storePath,
            spoolPath: spooler == nil ? nil : configuration.spoolPath,
            syncOff: engine == nil
                ? "\(configuration.secretKey) \(configuration.secretFile) does not exist; put it there (mode 0600) and restart" : nil,
            scale: Self.scaleState(configuration.scale, scale),
            logger: logger
        )
    }

    /// The packer's station screen under `/station` of the local HTTP server. Opening an order
    /// without a plan plans it as `waybill pack` does; every gesture is recorded with the signed-in
    /// packer (the station's id at its own console when it has no packers).
    var stationScreen: StationScreen {
        let packer = OrderPacker(store: store, budget: configuration.packingBudget, liveRates: liveRates)
        let (wake, autopilotWake) = (wake, autopilotWake)
        let scaleStatus: (@Sendable () -> ScaleStatus)? = scale.map { reader in { @Sendable in reader.status } }
        return StationScreen(
            store: store,
            weightCheck: configuration.weightCheck,
            scale: scaleStatus,
            logger: logger,
            changed: {
                wake.wake(localChange: true)
                autopilotWake.wake()
            },
            plan: { orderID in
                // Its SQLite work on the blocking lane; waiting for the provider's prices frees the thread.
                _ = try await withTaskExecutorPreference(BlockingExecutor.shared) { try await packer.pack(orderID: orderID, plannedBy: "station") }
            }
        )
    }

    /// The bench scale's state for `waybill status` and the status line; nil without a scale.
    var scaleState: (@Sendable () -> ScaleState)? { Self.scaleState(configuration.scale, scale) }

    /// The state of the scale `settings` configure, as `reader` reads it (a reader that could not
    /// start reads nothing); nil without a scale.
    private static func scaleState(_ settings: ScaleSettings?, _ reader: ScaleReader?) -> (@Sendable () -> ScaleState)? {
        guard let settings else { return nil }
        return { ScaleState(settings: settings, status: reader?.status) }
    }

    /// Waits until the agent serves: the local HTTP server listens (at once when it is off).
    var serving: @Sendable () async -> Void {
        guard configuration.httpListen != nil else { return {} }
        let listening = httpListening
        return { await listening.wait(upTo: .seconds(60)) }
    }

    /// The services in start order; graceful shutdown stops them in reverse (events first, so
    /// `/events` streams end before the HTTP server waits for its connections).
    ///
    /// - Parameters:
    ///   - reloadSignals: SIGHUP, trapped by the caller before the group starts.
    ///   - reload: loads the configuration again, as at start.
    func all(reloadSignals: UnixSignalsSequence, reload: @escaping @Sendable () async throws -> StationConfiguration) throws -> [any Service] {
        var services: [any Service] = [
            ControlService(
                path: ControlSocket.path(storePath: configuration.storePath),
                handler: ControlService.RequestHandler(
                    store: store,
                    wake: wake,
                    wakeWorkers: { [spooler, autopilotWake] in
                        spooler?.wake()
                        autopilotWake.wake()
                    },
                    syncEnabled: engine != nil,
                    scale: scaleState,
                    health: health,
                    resyncs: engine == nil ? nil : resyncs,
                    storePath: configuration.storePath,
                    wakeReports: { [reportWake] in reportWake.wake() }
                ),
                logger: logger
            )
        ]
        services.append(HealthService(health: health, metrics: metrics, notifier: notifier, settings: settings))
        services.append(
            ReloadService(
                signals: reloadSignals,
                initial: configuration,
                load: reload,
                settings: settings,
                store: store,
                wake: wake,
                logger: logger
            )
        )
        if let report = configuration.report {
            let reports = ShiftReports(settings: report, store: store, stationID: configuration.stationID.rawValue, logger: logger)
            services.append(ReportService(reports: reports, wake: reportWake, metrics: metrics, backstop: .seconds(60)))
        }
        if let engine {
            services.append(
                SyncService(
                    engine: engine,
                    store: store,
                    settings: settings,
                    wake: wake,
                    notifier: notifier,
                    metrics: metrics,
                    health: health,
                    resyncs: resyncs,
                    autopilotGate: autopilotGate,
                    autopilotWake: autopilotWake,
                    logger: logger
                )
            )
        }
        if let spooler {
            let settings = settings
            let telemetry = PrintService.Telemetry(
                store: store,
                metrics: metrics,
                health: health,
                probe: PrinterProbe(server: configuration.cupsServer),
                printers: {
                    [("label", settings.labelPrinter), ("document", settings.documentPrinter)].compactMap { role, name in name.map { (role, $0) } }
                },
                printerPollInterval: .seconds(5),
                jobChanged: { [autopilotWake] in autopilotWake.wake() },
                logger: logger
            )
            services.append(PrintService(spooler: spooler, telemetry: telemetry))
        }
        // Unattended, the pipeline does everything; at a manual station it prints and ships what
        // packers verified and weighed, so it runs whenever there is a printer.
        if configuration.autoMode || spooler != nil {
            let settings = settings
            let wake = wake
            let autopilot = StationAutopilot(
                store: store,
                packer: OrderPacker(store: store, budget: configuration.packingBudget, liveRates: liveRates),
                spooler: spooler,
                stationID: configuration.stationID.rawValue,
                printers: { (settings.labelPrinter, settings.documentPrinter) },
                shipFrom: LabelAddress(
                    name: "Waybill station \(configuration.stationID.rawValue)",
                    lines: ["Packing station"],
                    city: "",
                    postalCode: "",
                    country: ""
                ),
                verifyAtBench: !configuration.autoMode,
                logger: logger,
                changed: { wake.wake(localChange: true) }
            )
            // Woken by what gives it work (the station screen, a sync that changed something, a
            // print job's progress, a command); the interval is the backstop, not the cadence.
            services.append(AutopilotService(autopilot: autopilot, interval: .seconds(5), wake: autopilotWake, metrics: metrics, gate: autopilotGate))
        }
        if let scale { services.append(ScaleService(reader: scale, metrics: metrics)) }
        if let address = configuration.httpListen {
            let listening = httpListening
            services.append(
                try LocalHTTPServer.service(
                    address: address,
                    store: store,
                    metrics: metrics,
                    health: health,
                    events: events,
                    station: stationScreen,
                    stationName: configuration.stationID.rawValue,
                    logger: logger,
                    onRunning: { listening.wake() }
                )
            )
            services.append(OrderEventsService(store: store, health: health, broadcaster: events, logger: logger))
        }
        return services
    }
}
