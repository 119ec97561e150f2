import Foundation
import Logging
import Synchronization
import WaybillCore
import WaybillStore

/// The station's one health model, kept up to date by the agent: ``refresh(now:)`` gathers the
/// facts (the store, the file systems, the last writes, the sync loop's beat, the printers' last
/// poll, the scale) and applies ``HealthRules``. `/healthz`, `/metrics`, `waybill status` (over the
/// control socket), the systemd status line and the station screen all show what it returns.
///
/// A problem is dated from when it was first seen (or from the fact itself, such as the time the
/// station went offline) and clears when its cause is gone; each appearance and clearing is logged.
final class StationHealth: Sendable {
    let store: WaybillStore
    let storePath: String
    /// The spool folder, when the station prints.
    let spoolPath: String?
    /// Why sync does not run (no station secret); `nil` when it runs.
    let syncOff: String?
    /// How long the sync loop may stay silent (a slow cycle) before it counts as stalled.
    let stallLimit: Duration
    /// The bench scale's state; nil without a scale.
    let scale: (@Sendable () -> ScaleState)?
    let logger: Logger
    /// With no write of the agent's own for this long, a refresh proves the database takes one.
    let probeWritesAfter: TimeInterval = 60

    private let lastBeat = Mutex<ContinuousClock.Instant>(.now)
    private let printers = Mutex<[String: HealthFacts.PrinterFault?]>([:])
    private let model = Mutex<(ledger: HealthLedger, last: Snapshot)>((HealthLedger(), Snapshot()))

    /// What the last refresh saw.
    struct Snapshot: Sendable {
        /// The problems, most urgent first.
        var problems: [HealthProblem] = []
        /// The file systems measured.
        var disks: [DiskSpace] = []
        /// The store's counts; nil when they could not be read.
        var status: StoreStatus?
        /// `online`, `degraded` or `offline` as the sync engine last recorded it; nil before any cycle.
        var connectivity: String?
    }

    init(
        store: WaybillStore,
        storePath: String,
        spoolPath: String?,
        syncOff: String?,
        stallLimit: Duration = .seconds(300),
        scale: (@Sendable () -> ScaleState)? = nil,
        logger: Logger
    ) {
        self.store = store
        self.storePath = storePath
        self.spoolPath = spoolPath
        self.syncOff = syncOff
        self.stallLimit = stallLimit
        self.scale = scale
        self.logger = logger
    }

    /// The sync loop is alive.
    func beat() {
        lastBeat.withLock { $0 = .now }
    }

    /// A configured printer's latest poll: `fault` says what keeps it from printing, nil when it can.
    func recordPrinter(role: String, name: String, fault: String?) {
        printers.withLock { $0[name] = fault.map { HealthFacts.PrinterFault(role: role, name: name, message: $0) } }
    }

    /// Forgets printers no longer configured (a reload removed them), with any fault they had.
    func keepPrinters(_ names: Set<String>) {
        printers.withLock { $0 = $0.filter { names.contains($0.key) } }
    }

    /// The problems of the last refresh, most urgent first.
    var problems: [HealthProblem] { model.withLock { $0.last.problems } }

    /// What the last refresh saw.
    var last: Snapshot { model.withLock { $0.last } }

    /// Gathers the facts now, applies the rules and returns the problems, most urgent first.
    @discardableResult
    func refresh(now: Date = Date()) -> [HealthProblem] {
        let (facts, status) = gather()
        let found = HealthRules.problems(facts)
        let (problems, appeared, cleared) = model.withLock { model in
            let update = model.ledger.update(found, now: now)
            model.last = Snapshot(problems: update.problems, disks: facts.disks, status: status, connectivity: facts.connectivity)
            return update
        }
        for problem in appeared {
            logger.warning("Health problem", metadata: ["health.kind": "\(problem.kind.rawValue)", "health.problem": "\(problem.sentence)"])
        }
        for key in cleared {
            logger.notice("Health problem cleared", metadata: ["health.key": "\(key)"])
        }
        return problems
    }

    /// What the station knows about itself now, and the store's counts it read for it.
    private func gather() -> (facts: HealthFacts, status: StoreStatus?) {
        var facts: HealthFacts
        var status: StoreStatus?
        do {
            let counts = try store.status()
            status = counts
            facts = HealthFacts(status: counts, syncState: try store.syncState())
            facts.heldLabels = try store.openPrintJobs().filter { $0.state == .held }.map {
                HealthFacts.HeldLabel(labelID: $0.labelID, reason: $0.reason ?? "held by a printer fault")
            }
        } catch {
            facts = HealthFacts()
            // Nothing is known of sync then; the failure below is the problem to show.
            facts.connectivity = "online"
            facts.writeFailure = HealthFacts.WriteFailure(since: Date(), message: "the database cannot be read: \(error)")
        }
        facts.measureDisks(storePath: storePath, spoolPath: spoolPath)
        if store.writeFailure == nil, (store.lastWriteOutcomeAt.map { -$0.timeIntervalSinceNow > probeWritesAfter } ?? true) {
            try? store.probeWrite()
        }
        if let failure = store.writeFailure {
            facts.writeFailure = HealthFacts.WriteFailure(since: failure.since, message: failure.message)
        }
        facts.syncOff = syncOff
        let silent = ContinuousClock.now - lastBeat.withLock { $0 }
        if syncOff == nil, silent > stallLimit { facts.syncStalledFor = silent }
        facts.printerFaults = printers.withLock { Array($0.values.compactMap { $0 }) }.sorted { $0.name < $1.name }
        facts.add(scale?())
        return (facts, status)
    }
}
