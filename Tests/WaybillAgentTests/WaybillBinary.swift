import Foundation
import Subprocess
import SystemPackage
import WaybillTestSupport

/// Runs the built `waybill` executable, which SwiftPM puts beside the test bundle.
enum WaybillBinary {
    static let path: String = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("waybill").path
    }()

    /// A minimal environment: none of the developer's own WAYBILL_* variables leak into a test.
    static func cleanEnvironment(_ extra: [String: String] = [:]) -> Environment {
        var values: [Environment.Key: String] = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]
        for (key, value) in extra { values[Environment.Key(rawValue: key)!] = value }
        return .custom(values)
    }

    struct Output {
        let status: TerminationStatus
        let standardOutput: String
        let standardError: String
    }

    /// Runs `waybill` with `arguments` to completion (`input` on its standard input) and collects its output.
    static func run(_ arguments: [String], environment: [String: String] = [:], input: String = "") async throws -> Output {
        let result = try await Subprocess.run(
            .path(FilePath(path)),
            arguments: Arguments(arguments),
            environment: cleanEnvironment(environment),
            input: .string(input),
            output: .string(limit: 1 << 20),
            error: .string(limit: 1 << 20)
        )
        return Output(
            status: result.terminationStatus,
            standardOutput: result.standardOutput,
            standardError: result.standardError
        )
    }
}
