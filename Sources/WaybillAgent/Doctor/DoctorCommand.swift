import ArgumentParser
import Foundation

extension WaybillCommand {
    /// `waybill doctor`: checks the station's set-up, one line per check; exit 0 only when all pass.
    struct Doctor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check configuration, database, secrets, spool and disk, the hub and its clock, CUPS and each queue; exit 0 only if all pass."
        )

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let checks: [DoctorCheck]
            do {
                checks = await DoctorCheck.all(for: try await global.loadConfiguration())
            } catch {
                checks = [DoctorCheck(name: "configuration", ok: false, detail: "\(error)")]
            }
            if global.json {
                struct Report: Encodable {
                    let ok: Bool
                    let checks: [DoctorCheck]
                }
                try CommandJSON.print(Report(ok: checks.allSatisfy(\.ok), checks: checks))
            } else {
                for check in checks { print(check.line) }
            }
            if !checks.allSatisfy(\.ok) { throw ExitCode.failure }
        }
    }
}
