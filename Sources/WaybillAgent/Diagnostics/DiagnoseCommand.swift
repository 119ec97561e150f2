import ArgumentParser
import Foundation

extension WaybillCommand {
    /// `waybill diagnose --output FILE.tar.gz`: the support bundle.
    struct Diagnose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a support bundle: redacted config, status, doctor, outbox and conflict summaries, integrity check, recent logs.",
            discussion: """
                The bundle holds no secrets (secret-looking keys, URL credentials and the station secret are \\
                replaced by <redacted>) and no order data. Logs come from --log-file, else journalctl -u waybill.
                """
        )

        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: ArgumentHelp("Where to write the bundle.", valueName: "file.tar.gz"))
        var output: String

        @Option(name: .customLong("log-file"), help: ArgumentHelp("A log file to include the end of.", valueName: "path"))
        var logFile: String?

        func validate() throws {
            guard output.hasSuffix(".tar.gz") || output.hasSuffix(".tgz") else {
                throw ValidationError("--output must name a .tar.gz file")
            }
        }

        func run() async throws {
            let configuration = try await global.loadConfiguration()
            let output = URL(fileURLWithPath: self.output).standardizedFileURL.path
            let files = try await DiagnosticBundle(configuration: configuration, logFile: logFile).write(to: output)
            print("wrote \(output): \(files.joined(separator: ", "))")
        }
    }
}
