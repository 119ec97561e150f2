import ArgumentParser
import Foundation
import WaybillStore
import WaybillSync

extension WaybillCommand {
    /// `waybill resync`: a forced client reset and full re-download.
    struct Resync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-download the whole replica (recover: replay unconfirmed operations; discard: export then drop them)."
        )

        @OptionGroup var global: GlobalOptions

        @Option(help: "recover (default) keeps unconfirmed operations; discard exports them to a JSON file and drops them.")
        var mode: String = "recover"

        @Flag(help: "Do not ask for confirmation.")
        var yes = false

        func validate() throws {
            guard ResetMode(rawValue: mode) != nil else { throw ValidationError("--mode must be recover or discard") }
        }

        func run() async throws {
            let configuration = try await global.loadConfiguration()
            let logger = global.logger("waybill.resync", configuration: configuration)
            let store = try WaybillStore.open(atPath: configuration.storePath)
            _ = try store.identity(for: configuration.stationID)
            let resetMode = ResetMode(rawValue: mode)!
            let lock = try StationLock.acquire(storePath: configuration.storePath)
            let pending = try store.status().outboxDepth
            if !yes {
                guard isatty(STDIN_FILENO) != 0 else { throw ValidationError("resync needs --yes when not run from a terminal") }
                let who = lock == nil ? "; the running agent pauses for it" : ""
                print("Re-download the replica (\(resetMode.rawValue); \(pending) unconfirmed operations\(who))? [y/N] ", terminator: "")
                guard readLine()?.lowercased().hasPrefix("y") == true else { throw ExitCode.failure }
            }
            guard let lock else {
                try await askTheAgent(mode: resetMode, storePath: configuration.storePath)
                return
            }
            let engine = try SyncComposition.engine(configuration: configuration, store: store, logger: logger)
            let export = resetMode == .discard ? ForcedResyncs.exportPath(storePath: configuration.storePath) : nil
            let reset = try await engine.resetReplica(mode: resetMode, exportPath: export)
            progress(
                "reset: epoch \(reset.newEpoch), \(reset.unconfirmed) unconfirmed operations \(resetMode == .recover ? "to replay" : "exported to \(export ?? "")")"
            )
            if let backup = reset.backupPath { progress("backup: \(backup)") }
            var cycle = await engine.cycle()
            var pages = cycle.pulled?.pages ?? 0
            var failures = 0
            while !cycle.settled {
                if let error = cycle.error {
                    failures += 1
                    guard failures < 8 else {
                        // The reset is kept: re-running resync (or starting the agent) finishes the download.
                        throw ValidationError(
                            "the re-download failed \(failures) times, last: \(error). Nothing is lost; run resync again once the central API answers"
                        )
                    }
                    progress("retrying after: \(error)")
                    try await Task.sleep(for: cycle.retryIn ?? .seconds(1))
                }
                cycle = await engine.cycle()
                pages += cycle.pulled?.pages ?? 0
                progress("pulled \(pages) pages", transient: true)
            }
            let versions = try store.replicaVersions(of: .order)
            progress("done: \(versions.count) orders in the replica, outbox \(try store.status().outboxDepth) pending")
            withExtendedLifetime(lock) {}
        }

        /// A forced resync by the running agent, over its control socket: it pauses at a safe
        /// point, resets, downloads again and resumes; its steps are printed as they come.
        private func askTheAgent(mode: ResetMode, storePath: String) async throws {
            let socket = ControlSocket.path(storePath: storePath)
            let request = ControlSocket.Request(command: "resync", mode: mode.rawValue)
            let json = global.json
            let outcome = try await Task.detached { () throws -> (answered: Bool, last: ControlSocket.Answer?) in
                var last: ControlSocket.Answer?
                let answered = try ControlSocket.exchange(request, with: socket) { answer in
                    last = answer
                    if let line = answer.progress { Self.progress(line, json: json) }
                    return answer.ok && answer.done != true
                }
                return (answered, last)
            }.value
            guard outcome.answered else {
                throw ResyncError(
                    "the agent holds this station but does not answer on \(socket); see `journalctl -u waybill`, or stop it (systemctl stop waybill) and run resync again"
                )
            }
            guard let last = outcome.last, last.ok, last.done == true else {
                let closed = "the agent closed the connection before the resync finished; `waybill status` shows where it stands"
                throw ResyncError(outcome.last?.error ?? closed)
            }
        }

        /// A progress line: JSON with --json, rewritten in place on a terminal, plain lines otherwise.
        private func progress(_ line: String, transient: Bool = false) {
            Self.progress(line, json: global.json, transient: transient)
        }

        private static func progress(_ line: String, json: Bool, transient: Bool = false) {
            if json {
                try? CommandJSON.print(["progress": line])
            } else if transient, isatty(STDOUT_FILENO) != 0 {
                print("\r\u{1B}[K" + line, terminator: "")
                fflush(nil)
            } else {
                print(line)
            }
        }
    }
}

/// A resync the running agent refused or could not finish; the message says what to do.
struct ResyncError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
