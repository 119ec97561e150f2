import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import WaybillStore
import WaybillSync

/// Pulls and pushes on a cadence: every poll interval, sooner when an outbox entry falls due or
/// someone asks (``WakeSignal``), later after failures (backoff). Stops at once on graceful shutdown.
///
/// Its loop is the agent's heartbeat: while it waits it sends systemd's `WATCHDOG=1` every watchdog
/// interval and beats for the health model. A cycle that hangs stops both: the health model reports
/// the sync loop stalled, and systemd restarts the agent.
struct SyncService: Service, CustomStringConvertible {
    let engine: SyncEngine
    let store: WaybillStore
    /// The poll interval, which a reload may change.
    let settings: RuntimeSettings
    let wake: WakeSignal
    let notifier: SystemdNotifier
    let metrics: AgentMetrics
    let health: StationHealth
    /// Client resets asked for over the control socket, taken between two cycles.
    let resyncs: ForcedResyncs
    /// Holds the autopilot's rounds from a forced reset until the re-download is caught up.
    let autopilotGate: RoundGate
    /// Wakes the autopilot after a cycle that changed something (new orders, a bought label).
    let autopilotWake: WakeSignal
    let logger: Logger
    /// The longest silent wait: the loop beats for `/healthz` at least this often.
    var beatEvery: Duration = .seconds(5)

    var description: String { "SyncService" }

    func run() async {
        await untilShutdownOnBlockingLane {
            var memory = IdleMemory()
            // A local change (a scan, a label) wakes the loop for a push only; the feed is read
            // every poll interval, after a failure, and when someone asks (`waybill sync`, a reload).
            var pull = true
            var lastPull = ContinuousClock.now
            var resync: ForcedResyncs.Request?
            var resyncPages = 0
            while !Task.isCancelled {
                if resync == nil, let request = resyncs.take(), await reset(request) {
                    (resync, resyncPages, pull) = (request, 0, true)
                }
                let started = ContinuousClock.now
                let before = (epoch: try? store.storedIdentity()?.epoch, cursor: try? store.cursor(feed: engine.source.feedName))
                let report = await engine.cycle(pull: pull)
                if pull { lastPull = started }
                metrics.recordCycle(report, duration: .now - started)
                // A cycle that re-downloaded the replica: a client reset (the epoch grew) or a first full pull.
                let epochGrew = (try? store.storedIdentity()?.epoch) != before.epoch
                if report.error == nil, epochGrew || before.cursor == nil {
                    metrics.recordResync(duration: .now - started)
                }
                health.beat()
                if let request = resync {
                    resyncPages += report.pulled?.pages ?? 0
                    if report.settled {
                        let orders = (try? store.replicaVersions(of: .order).count) ?? 0
                        let pending = (try? store.status().outboxDepth) ?? 0
                        resyncs.finish(request, with: .done("done: \(orders) orders in the replica, outbox \(pending) pending"))
                        await autopilotGate.open()
                        resync = nil
                    } else if let error = report.error {
                        request.events.yield(.progress("retrying after: \(error)"))
                    } else {
                        request.events.yield(.progress("pulled \(resyncPages) pages"))
                    }
                }
                if report.changedSomething { autopilotWake.wake() }
                memory.cycleEnded(report, store: store)
                var delay = report.retryIn ?? max(.zero, settings.pollInterval - (.now - lastPull))
                if report.error == nil, let due = try? store.nextPushDue() {
                    delay = min(delay, .milliseconds(max(10, Int(due.timeIntervalSinceNow * 1000))))
                }
                let woken = await pause(upTo: delay)
                let localOnly = wake.takeLocalChangesOnly()
                pull = report.error != nil || .now - lastPull >= settings.pollInterval || (woken && !localOnly) || resync != nil
            }
            let stopped = "the agent stopped before the re-download caught up; the reset is kept and the agent finishes it when it starts"
            if let resync { resyncs.finish(resync, with: .failed(stopped)) }
            resyncs.failQueued("the agent stopped before the reset began; nothing was reset")
        }
    }

    /// Resets the replica for a forced resync once the autopilot's round under way has ended;
    /// false (and the asker told why) when the reset failed, which leaves everything as it was.
    private func reset(_ request: ForcedResyncs.Request) async -> Bool {
        request.events.yield(.progress("pausing: the sync loop is between cycles; waiting for the autopilot's round to end"))
        await autopilotGate.close()
        do {
            let report = try await engine.resetReplica(mode: request.mode, exportPath: request.exportPath)
            let unconfirmed =
                request.mode == .recover ? "to replay" : "exported to \(report.exportPath ?? "nowhere") and dropped"
            request.events.yield(.progress("reset: epoch \(report.newEpoch), \(report.unconfirmed) unconfirmed operations \(unconfirmed)"))
            if let backup = report.backupPath { request.events.yield(.progress("backup: \(backup)")) }
            logger.notice("Forced resync: replica reset", metadata: ["reset.mode": "\(request.mode.rawValue)"])
            return true
        } catch {
            await autopilotGate.open()
            resyncs.finish(request, with: .failed("\(error)"))
            return false
        }
    }

    /// Waits up to `duration` or until woken, feeding the watchdog and the health beat now and at
    /// least every watchdog interval (or ``beatEvery``).
    /// Returns whether a wake ended it.
    @discardableResult
    private func pause(upTo duration: Duration) async -> Bool {
        notifier.watchdog()
        let interval = min(notifier.watchdogInterval ?? beatEvery, beatEvery)
        var remaining = duration
        while remaining > .zero, !Task.isCancelled {
            let slice = min(remaining, interval)
            if await wake.wait(upTo: slice) == .woken { return true }
            remaining -= slice
            notifier.watchdog()
            health.beat()
        }
        return false
    }
}
