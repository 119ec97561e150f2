import Foundation
import Testing
import WaybillCore
import WaybillTestSupport

/// `waybill pack` as a person or a script runs it: the built binary on packing-bench instances.
@Suite(.timeLimit(.minutes(5))) struct PackCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../WaybillCoreTests/Fixtures/packing-bench").standardized

    static func instancePath(_ family: String, _ name: String) -> String {
        fixtures.appendingPathComponent("\(family)/\(name).json").path
    }

    static func temporaryFolder() throws -> String {
        let folder = NSTemporaryDirectory() + "waybill-pack-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func anInstanceFile_printsAValidPlanOnStdout() async throws {
        let path = Self.instancePath("small", "small-s1-0001")
        // A budget the exact split always finishes within (debug build, other suites running): it ends early.
        let output = try await WaybillBinary.run(["pack", "--instance", path, "--budget-ms", "5000", "--seed", "3"])
        #expect(output.status == .exited(0), "\(output.standardError)")
        let plan = try JSONDecoder().decode(PackingSolution.self, from: Data(output.standardOutput.utf8))
        let instance = try JSONDecoder().decode(PackingInstance.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(PlanChecker.violations(of: plan, for: instance) == [])
        #expect(PlanChecker.cost(of: plan, for: instance, rates: .packingBench) == 31.88)  // the proven optimum
    }

    @Test func aFolder_isPlannedIntoSameNamedFiles_withAGivenRateFile() async throws {
        let input = try Self.temporaryFolder(), output = try Self.temporaryFolder() + "/plans"
        defer { try? FileManager.default.removeItem(atPath: input) }
        for name in ["ecom-s1-0000", "ecom-s1-0001"] {
            try FileManager.default.copyItem(atPath: Self.instancePath("ecom", name), toPath: "\(input)/\(name).json")
        }
        let rates = Self.fixtures.appendingPathComponent("rates.json").path
        let result = try await WaybillBinary.run(["pack", "--instance", input, "--output", output, "--rates", rates, "--budget-ms", "20"])
        #expect(result.status == .exited(0), "\(result.standardError)")
        let written = try FileManager.default.contentsOfDirectory(atPath: output).sorted()
        #expect(written == ["ecom-s1-0000.json", "ecom-s1-0001.json"])
        for name in written {
            let plan = try JSONDecoder().decode(PackingSolution.self, from: Data(contentsOf: URL(fileURLWithPath: "\(output)/\(name)")))
            let instance = try JSONDecoder().decode(PackingInstance.self, from: Data(contentsOf: URL(fileURLWithPath: "\(input)/\(name)")))
            #expect(PlanChecker.violations(of: plan, for: instance) == [])
        }
    }

    @Test func badInput_failsWithTheFileAndWhatIsWrong() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("not json".utf8).write(to: URL(fileURLWithPath: "\(folder)/garbage.json"))
        try Data(#"{"id": "x", "residential": false}"#.utf8).write(to: URL(fileURLWithPath: "\(folder)/partial.json"))
        var instance = try JSONDecoder().decode(
            PackingInstance.self,
            from: Data(contentsOf: URL(fileURLWithPath: Self.instancePath("small", "small-s1-0001")))
        )
        instance.zoneByLocation = [:]
        try JSONEncoder().encode(instance).write(to: URL(fileURLWithPath: "\(folder)/nozone.json"))

        let cases: [(arguments: [String], message: String)] = [
            (["--instance", "\(folder)/missing.json"], "\(folder)/missing.json: no such file"),
            (["--instance", "\(folder)/garbage.json"], "\(folder)/garbage.json: is not a valid packing-bench instance"),
            (["--instance", "\(folder)/partial.json"], "missing key .zone_by_location"),
            (["--instance", "\(folder)/nozone.json"], "which zone_by_location does not list"),
            (["--instance", Self.instancePath("small", "small-s1-0001"), "--rates", "\(folder)/garbage.json"], "is not a valid rate model"),
        ]
        for (arguments, message) in cases {
            let output = try await WaybillBinary.run(["pack"] + arguments)
            #expect(output.status == .exited(1), "\(arguments)")
            #expect(output.standardError.contains(message), "\(arguments): \(output.standardError)")
        }
        let usage = try await WaybillBinary.run(["pack", "--instance", folder])
        #expect(usage.status == .exited(64))
        #expect(usage.standardError.contains("--instance DIR needs --output DIR"))
    }
}
