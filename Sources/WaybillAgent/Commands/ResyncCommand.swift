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
            guard let lock = try StationLock.acquire(storePath: configuration.storePath) else {
                throw ValidationError("the agent is running for this station; stop it (systemctl stop waybill) and run resync again")
            }
            let resetMode = ResetMode(rawValue: mode)!
            let pending = try store.status().outboxDepth
            if !yes {
                guard isatty(STDIN_FILENO) != 0 else { throw ValidationError("resync needs --yes when not run from a terminal") }
                print("Re-download the replica (\(resetMode.rawValue); \(pending) unconfirmed operations)? [y/N] ", terminator: "")
                guard readLine()?.lowercased().hasPrefix("y") == true else { throw ExitCode.failure }
            }
            let engine = try SyncComposition.engine(configuration: configuration, store: store, logger: logger)
            let folder = URL(fileURLWithPath: configuration.storePath).deletingLastPathComponent().path
            let export = resetMode == .discard ? "\(folder)/unconfirmed-\(Int(Date().timeIntervalSince1970)).json" : nil
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

        /// A progress line: JSON with --json, rewritten in place on a terminal, plain lines otherwise.
        private func progress(_ line: String, transient: Bool = false) {
            if global.json {
                print(String(decoding: (try? JSONSerialization.data(withJSONObject: ["progress": line])) ?? Data(), as: UTF8.self))
            } else if transient, isatty(STDOUT_FILENO) != 0 {
                print("\r\u{1B}[K" + line, terminator: "")
                fflush(nil)
            } else {
                print(line)
            }
        }
    }
}
