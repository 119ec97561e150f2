import Foundation
public import Subprocess
import SystemPackage

/// Runs the built `waybill` executable, which SwiftPM puts beside the test bundle.
public enum WaybillBinary {
    public static let path: String = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("waybill").path
    }()

    /// A minimal environment: none of the developer's own WAYBILL_* variables leak into a test.
    public static func cleanEnvironment(_ extra: [String: String] = [:]) -> Environment {
        var values: [Environment.Key: String] = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]
        for (key, value) in extra { values[Environment.Key(rawValue: key)!] = value }
        return .custom(values)
    }

    public struct Output: Sendable {
        public let status: TerminationStatus
        public let standardOutput: String
        public let standardError: String
    }

    /// Runs `waybill` with `arguments` to completion (`input` on its standard input) and collects its output.
    public static func run(_ arguments: [String], environment: [String: String] = [:], input: String = "") async throws -> Output {
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
