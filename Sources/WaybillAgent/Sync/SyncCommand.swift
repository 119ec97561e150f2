import ArgumentParser
import Foundation
import Logging
import WaybillStore
import WaybillSync

extension WaybillCommand {
    /// `waybill sync`: push the outbox and pull the feed now.
    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Push the outbox and pull central changes now; with --wait, until everything is confirmed and caught up."
        )

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Wait until the outbox is empty and the feed is caught up (or fail with what is still pending).")
        var wait = false

        @Option(help: "With --wait: give up after this many seconds.")
        var timeout: Double = 300

        func run() async throws {
            let configuration = try await global.loadConfiguration()
            let logger = global.logger("waybill.sync", configuration: configuration)
            let store = try WaybillStore.open(atPath: configuration.storePath)
            _ = try store.identity(for: configuration.stationID)
            let deadline = Date().addingTimeInterval(timeout)
            guard let lock = try StationLock.acquire(storePath: configuration.storePath) else {
                // The agent holds the station: it syncs continuously; watch it drain.
                try await watchAgent(store: store, deadline: deadline)
                return
            }
            let engine = try SyncComposition.engine(configuration: configuration, store: store, logger: logger)
            var last = await engine.cycle()
            while wait, !last.settled, Date() < deadline {
                let pause = min(last.retryIn ?? .milliseconds(200), .seconds(max(0, deadline.timeIntervalSinceNow)))
                try await Task.sleep(for: pause)
                last = await engine.cycle()
            }
            withExtendedLifetime(lock) {}
            try report(store: store, settled: last.settled, error: last.error.map { "\($0)" })
        }

        private func watchAgent(store: WaybillStore, deadline: Date) async throws {
            // Ask the running agent over its control socket; it wakes its sync loop at once.
            let socket = ControlSocket.path(storePath: store.path ?? "")
            let request = ControlSocket.Request(command: "sync", wait: wait, timeout: max(0, deadline.timeIntervalSinceNow))
            if let answer = try await Task.detached(operation: { try ControlSocket.send(request, to: socket) }).value {
                try report(store: store, settled: answer.settled ?? !wait, error: answer.error)
                return
            }
            if !global.json { print("the agent is running but its control socket does not answer; watching the database") }
            while wait, Date() < deadline {
                let status = try store.status()
                if status.outboxDepth == 0, try store.syncState()[.caughtUp] == "true" { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            let status = try store.status()
            try report(store: store, settled: status.outboxDepth == 0, error: try store.syncState()[.lastError])
        }

        private func report(store: WaybillStore, settled: Bool, error: String?) throws {
            let status = try store.status()
            let state = try store.syncState()
            if global.json {
                let object: [String: Any] = [
                    "settled": settled, "outbox_depth": status.outboxDepth, "dead_letters": status.deadLetters,
                    "conflicts_open": status.conflictsOpen, "connectivity": state[.connectivity] ?? "unknown", "error": error ?? NSNull(),
                ]
                try CommandJSON.print(object: object)
            } else {
                print(
                    "outbox: \(status.outboxDepth) pending, \(status.deadLetters) dead letters; conflicts needing a person: \(status.conflictsOpen)"
                )
                print("connectivity: \(state[.connectivity] ?? "unknown")\(error.map { "; last error: \($0)" } ?? "")")
            }
            if wait, !settled {
                throw ValidationError(
                    "not settled before the timeout: \(status.outboxDepth) operations still pending\(error.map { " (\($0))" } ?? "")"
                )
            }
        }
    }
}
