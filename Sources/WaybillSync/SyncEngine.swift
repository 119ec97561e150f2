public import Foundation
public import Logging
public import WaybillCore
import WaybillHTTP
public import WaybillStore

/// Runs sync cycles (push, then pull), keeps the connectivity state, resets the replica when the
/// feed no longer serves its cursor, and raises the "connected but not draining" alarm.
public actor SyncEngine {
    public let store: WaybillStore
    /// Where orders come from and operations go.
    public nonisolated let source: any OrderSource
    nonisolated let labels: LabelPurchaser
    let policy: RetryPolicy
    let logger: Logger
    /// The oldest pending entry's age above which a connected station is "not draining".
    public let notDrainingAfter: TimeInterval
    /// Where the station buys its carrier labels.
    public nonisolated var labelProvider: any LabelProvider { labels.provider }
    /// Where database backups of automatic client resets go.
    let backupDirectory: String?

    private var recent: [Bool?] = []
    private var pullFailures = 0
    /// Cycles in a row that fetched a changes page and could not read it.
    private var unreadablePages = 0
    private var lastConnectivity: Connectivity?

    public init(
        store: WaybillStore,
        client: CentralClient,
        policy: RetryPolicy,
        logger: Logger,
        notDrainingAfter: TimeInterval = 300,
        backupDirectory: String? = nil,
        pageSize: Int = 2000,
        pushBatchSize: Int = 500,
        labelProvider: (any LabelProvider)? = nil
    ) {
        self.init(
            store: store,
            source: HubOrderSource(
                client: client,
                push: PushEngine(client: client, store: store, policy: policy, batchSize: pushBatchSize, logger: logger),
                pull: PullEngine(client: client, store: store, pageSize: pageSize, logger: logger)
            ),
            labelProvider: labelProvider ?? HubLabelProvider(client: client),
            policy: policy,
            logger: logger,
            notDrainingAfter: notDrainingAfter,
            backupDirectory: backupDirectory
        )
    }

    /// An engine over any order source and label provider.
    public init(
        store: WaybillStore,
        source: any OrderSource,
        labelProvider: any LabelProvider,
        policy: RetryPolicy,
        logger: Logger,
        notDrainingAfter: TimeInterval = 300,
        backupDirectory: String? = nil
    ) {
        self.store = store
        self.source = source
        self.labels = LabelPurchaser(provider: labelProvider, store: store, policy: policy, logger: logger)
        self.policy = policy
        self.logger = logger
        self.notDrainingAfter = notDrainingAfter
        self.backupDirectory = backupDirectory
    }

    /// What one cycle did, and when the next one should run.
    public struct CycleReport: Sendable {
        public var pushed: PushEngine.Report?
        public var pulled: PullEngine.Report?
        public var labels: LabelPurchaser.Report?
        /// A failure of the label provider itself (no answer, 5xx, 429, the key refused): the label
        /// round waits with its own backoff; the push and the pull go on.
        public var labelError: SyncError?
        /// Until when label rounds wait after a failure of the provider (nil: they run).
        public var labelsPausedUntil: Date?
        public var error: SyncError?
        public var connectivity: Connectivity = .offline
        /// How long to wait before the next cycle (backoff after a failure; nil: the poll interval).
        public var retryIn: Duration?
        /// Whether the outbox has nothing due and the feed was read to its end.
        public var settled: Bool {
            error == nil && labelError == nil && labelsPausedUntil == nil && (pushed?.drained ?? false) && (pulled?.caughtUp ?? false)
        }
    }

    /// One cycle: push what is due, buy the carrier labels of confirmed label requests, then, with
    /// `pull`, pull to the end of the feed (a local change needs only the push).
    ///
    /// A push the central API answered with an error (a 5xx, a broken answer, a stopped batch) does
    /// not skip the pull: under a run of push faults the feed would starve, and a cancellation it
    /// carries would reach the bench too late. A push that got no answer, or was rate-limited, does.
    /// Nor does a failed push skip the label round of a provider of its own (a shipping API): the
    /// label requests the push confirmed before it failed get their labels now.
    public func cycle(now: Date = Date(), pull: Bool = true) async -> CycleReport {
        var report = CycleReport()
        var pushed = PushEngine.Report()
        var labelled = LabelPurchaser.Report()
        do throws(SyncError) {
            let pushError: SyncError?
            do {
                try await source.push(now: Date.init, into: &pushed)
                report.pushed = pushed
                pushError = nil
            } catch {
                pushError = error
            }
            if pushError == nil || !labels.provider.isCentralAPI {
                do {
                    try await labels.purchaseDue(now: now, into: &labelled)
                } catch {
                    // The provider's trouble is not the central API's: it neither stops the pull nor
                    // counts against connectivity.
                    report.labelError = error
                    logger.warning(
                        "Carrier labels: the provider failed; its round waits",
                        metadata: [
                            "label.provider": "\(labels.provider.name)", "sync.error.code": "\(error.code)", "sync.error": "\(error.message)",
                        ]
                    )
                }
                report.labels = labelled
            }
            if let pushError {
                if pull && pushError.gotResponse && pushError.status != 429 && pushError.code != .authentication {
                    report.pulled = try await pullResettingIfNeeded()
                }
                throw pushError
            }
            if pull { report.pulled = try await pullResettingIfNeeded() }
            note(success: true)
            // A push-only cycle says nothing of the feed: a blocked one stays blocked.
            if pull {
                pullFailures = 0
                unreadablePages = 0
            }
        } catch {
            report.error = error
            // What the push confirmed before the cycle failed still counts (metrics, the backoff below).
            if report.pushed == nil { report.pushed = pushed }
            if report.labels == nil, labelled.bought + labelled.voided > 0 { report.labels = labelled }
            // An unreadable page came from a central API that answers: reachable, but the feed is blocked.
            note(success: error.code == .feedUnreadable ? true : error.gotResponse ? false : nil)
            unreadablePages = error.code == .feedUnreadable ? unreadablePages + 1 : 0
            if error.code == .refused {
                // Refused as it is: asking again soon cannot help; ask again at the longest wait.
                pullFailures += 1
                report.retryIn = policy.cap
            } else if [.authentication, .schema, .feedUnreadable, .httpStatus, .transport].contains(error.code) {
                // A cycle that confirmed operations or bought labels before it failed met APIs that
                // work, if flakily: retry soon rather than back off towards the cap while work goes through.
                // Labels count only when the central API sold them: a shipping API of its own says
                // nothing of whether the central one works.
                let workedThrough = pushed.confirmed + (labels.provider.isCentralAPI ? labelled.bought + labelled.voided : 0)
                pullFailures = workedThrough > 0 ? 1 : pullFailures + 1
                report.retryIn = policy.delay(afterFailures: pullFailures - 1, retryAfter: error.retryAfter)
            } else {
                report.retryIn = policy.delay(afterFailures: 0, retryAfter: error.retryAfter)
            }
            logger.warning("Sync cycle failed", metadata: ["sync.error.code": "\(error.code)", "sync.error": "\(error.message)"])
        }
        // The label rounds' own wait does not hold back the push and the pull (the next cycle comes
        // at the poll interval, or sooner for local changes); it only keeps the station unsettled.
        if let until = await labels.pausedUntil, until > now { report.labelsPausedUntil = until }
        report.connectivity = Connectivity.from(recent: recent)
        logger.debug(
            "Sync cycle",
            metadata: [
                "sync.pushed": "\(report.pushed?.sent ?? 0)", "sync.confirmed": "\(report.pushed?.confirmed ?? 0)",
                "sync.pulled": "\(report.pulled?.outcome.applied ?? 0)", "sync.error": "\(report.error.map { "\($0.code)" } ?? "none")",
            ]
        )
        record(report, now: now)
        return report
    }

    private func pullResettingIfNeeded() async throws(SyncError) -> PullEngine.Report {
        do {
            return try await source.pull()
        } catch  where error.code == .cursorExpired {
            logger.notice("Feed cursor expired; resetting the replica (recover mode)")
            _ = try resetReplica(mode: .recover)
            var pushed = PushEngine.Report()
            try await source.push(now: Date.init, into: &pushed)
            return try await source.pull()
        }
    }

    /// A client reset: backup, new epoch, empty replica, unconfirmed operations replayed (recover)
    /// or exported and dropped (discard). The next pull re-downloads everything.
    public func resetReplica(mode: ResetMode, exportPath: String? = nil) throws(SyncError) -> ResetReport {
        let stamp = Int(Date().timeIntervalSince1970)
        let backup = backupDirectory.map { "\($0)/waybill-before-reset-\(stamp).sqlite" }
        do {
            let report = try store.resetReplica(mode: mode, backupPath: backup, exportPath: exportPath)
            logger.notice(
                "Replica reset",
                metadata: ["reset.mode": "\(mode.rawValue)", "station.epoch": "\(report.newEpoch)", "outbox.unconfirmed": "\(report.unconfirmed)"]
            )
            return report
        } catch {
            throw SyncError(.schema, "the client reset failed: \(error)")
        }
    }

    private func note(success: Bool?) {
        recent.append(success)
        if recent.count > 5 { recent.removeFirst(recent.count - 5) }
    }

    private func record(_ report: CycleReport, now: Date) {
        let connectivity = report.connectivity
        var values: [SyncStateKey: String?] = [.connectivity: connectivity.rawValue]
        if let skew = source.clockSkew { values[.clockSkew] = String(skew) }
        if connectivity != lastConnectivity {
            logger.notice("Connectivity changed", metadata: ["sync.connectivity": "\(connectivity.rawValue)"])
            values[.offlineSince] = connectivity == .online ? .some(nil) : .some(String(now.timeIntervalSince1970))
            lastConnectivity = connectivity
        }
        if report.error == nil {
            if report.pulled != nil { values[.feedBlocked] = .some(nil) }
            values[.lastError] = .some(nil)
            values[.lastErrorCode] = .some(nil)
            values[.lastPushAt] = String(now.timeIntervalSince1970)
            if let lag = report.pulled?.lag { values[.cursorLag] = String(lag) }
            if report.pulled?.caughtUp == true {
                values[.lastPullAt] = String(now.timeIntervalSince1970)
                values[.caughtUp] = "true"
            }
        } else {
            values[.lastError] = report.error.map { "\($0)" }
            values[.lastErrorCode] = report.error.map { "\($0.code)" }
            // Once is a fault in transit (a truncated answer); twice running, the feed is blocked.
            if let error = report.error, error.code == .feedUnreadable, unreadablePages >= 2 {
                let cursor = (try? store.cursor()).flatMap { $0 } ?? "the start"
                values[.feedBlocked] = "at cursor \(cursor): \(error.message)"
                if unreadablePages == 2 {
                    logger.error(
                        "Feed blocked: the central API keeps serving a page this station cannot read",
                        metadata: ["sync.cursor": "\(cursor)"]
                    )
                }
            }
        }
        if let labelError = report.labelError {
            values[.labelsError] = "\(labels.provider.name): \(labelError)"
        } else if report.labels != nil {
            values[.labelsError] = .some(nil)
        }
        try? store.recordSyncState(values, now: now)
        if connectivity != .offline, let status = try? store.status(now: now), let age = status.oldestPendingAge, age > notDrainingAfter {
            logger.error(
                "Outbox not draining while the central API answers",
                metadata: ["outbox.depth": "\(status.outboxDepth)", "outbox.oldest_age_s": "\(Int(age))"]
            )
        }
    }
}
