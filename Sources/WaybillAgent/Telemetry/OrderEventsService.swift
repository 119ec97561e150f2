import Logging
import ServiceLifecycle
import WaybillCore
import WaybillStore

/// Watches the replica's orders while `/events` clients listen, and publishes a `change` event per
/// changed order, a `counts` event when the counts by state move, and a `station` event when
/// connectivity, the outbox depth, open conflicts or the health model's problems change.
///
/// It reads the database every ``interval`` (250 ms) only while at least one client is connected, so
/// a change made by any process (the agent's sync, a `waybill` command) reaches clients within a
/// second. On graceful shutdown it ends every client's stream, so the HTTP server can close.
struct OrderEventsService: Service, CustomStringConvertible {
    let store: WaybillStore
    /// The health model, whose problems the `station` event carries.
    let health: StationHealth
    let broadcaster: OrderEventBroadcaster
    let logger: Logger
    var interval: Duration = .milliseconds(250)
    var keepAliveEvery: Duration = .seconds(15)

    var description: String { "OrderEventsService" }

    func run() async {
        await untilShutdownOnBlockingLane {
            var watch = Watch()
            while !Task.isCancelled {
                guard broadcaster.hasClients else {
                    watch = Watch()
                    await broadcaster.clientArrived.wait(upTo: .seconds(3600))
                    continue
                }
                do {
                    if let text = try watch.step(store: store, problems: health.problems, keepAliveEvery: keepAliveEvery) {
                        broadcaster.publish(text)
                    }
                } catch {
                    logger.warning("Cannot read order activity", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
        broadcaster.finish()
    }

    /// What clients were last told, to send only what moved.
    private struct Watch {
        var mark: Double?
        var counts: [OrderState: Int]?
        var station: ServerSentEvent?
        var quietSince = ContinuousClock.now

        /// Reads the database once; returns the events to publish, if any.
        mutating func step(store: WaybillStore, problems: [HealthProblem], keepAliveEvery: Duration) throws -> String? {
            let activity = try store.orderActivity(since: mark)
            var text = activity.changes.map { ServerSentEvent.change($0).text }.joined()
            if activity.counts != counts { text += ServerSentEvent.counts(activity.counts).text }
            let station = ServerSentEvent.station(status: try store.status(), syncState: try store.syncState(), problems: problems)
            if station != self.station { text += station.text }
            if text.isEmpty, ContinuousClock.now - quietSince > keepAliveEvery { text = ServerSentEvent.keepAlive }
            mark = activity.mark
            counts = activity.counts
            self.station = station
            guard !text.isEmpty else { return nil }
            quietSince = .now
            return text
        }
    }
}
