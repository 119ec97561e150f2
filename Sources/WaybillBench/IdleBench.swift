import ArgumentParser
import Foundation
import Subprocess
import SystemPackage

/// `waybill-bench idle`: CPU share and RSS of an idle agent polling every 5 s.
struct IdleBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "idle", abstract: "Idle agent CPU share and RSS (floor: 0.2 % of a core, 30 MB).")

    @Option(help: "Seconds to measure.") var seconds = 60
    @Option(help: "The waybill binary (default: beside this one).") var waybill: String?
    @Flag(help: "Also measure the agent with its local HTTP (/metrics, /healthz, /events) listening, and print the ratio.")
    var http = false

    func run() async throws {
        let hub = try await BenchHub.start(orders: 200)
        defer { hub.stop() }
        let off = try await measure(hub: hub, listen: nil)
        print(off.text)
        guard http else { return }
        let on = try await measure(hub: hub, listen: "127.0.0.1:\(18_300 + Int.random(in: 0..<600))")
        print(on.text)
        print(String(format: "local HTTP on / off: CPU x%.2f, RSS x%.2f", on.cpu / max(off.cpu, 0.0001), on.rss / max(off.rss, 0.0001)))
    }

    /// Runs an idle agent (HTTP off, or listening on `listen`) and measures its CPU share and RSS.
    private func measure(hub: BenchHub, listen: String?) async throws -> (cpu: Double, rss: Double, text: String) {
        let folder = hub.folder + "/idle-" + (listen == nil ? "http-off" : "http-on")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let secret = folder + "/station.secret"
        _ = FileManager.default.createFile(atPath: secret, contents: Data(hub.secrets["station-1"]!.utf8), attributes: [.posixPermissions: 0o600])
        let config = folder + "/waybill.yaml"
        try """
        station: {id: station-1}
        central: {url: "\(hub.base)", secret_file: "\(secret)"}
        store: {path: "\(folder)/station.sqlite"}
        spool: {path: "\(folder)/spool"}
        http: {listen: "\(listen ?? "off")"}
        sync: {poll_interval: 5s}
        log: {level: warning}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let binary = waybill ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("waybill").path
        let seconds = self.seconds
        let result = try await Subprocess.run(
            .path(FilePath(binary)),
            arguments: ["agent", "--config", config],
            input: .none,
            output: .discarded,
            error: .discarded
        ) { execution -> (Double, Double, String) in
            let pid = execution.processIdentifier.value
            try await Task.sleep(for: .seconds(5))  // start-up and the first full pull are not "idle"
            let before = try Self.cpuTicks(pid)
            try await Task.sleep(for: .seconds(seconds))
            let after = try Self.cpuTicks(pid)
            let rss = try Self.rssMB(pid)
            let memory = Self.memoryBreakdown(pid)
            let top = Self.topMappings(pid, count: 10).map { "\($0.name) " + String(format: "%.1f", $0.megabytes) }.joined(separator: ", ")
            try execution.send(signal: .terminate)
            let share = Double(after - before) / Double(sysconf(Int32(_SC_CLK_TCK))) / Double(seconds) * 100
            let text = String(
                format:
                    "idle agent over %d s (poll 5 s, HTTP \(listen == nil ? "off" : "on")): CPU %.3f %% of a core, RSS %.1f MB   (floors: 0.2 %%, 30 MB)\n"
                    + "  of the RSS: %.1f MB shared library pages (clean), %.1f MB anonymous; PSS %.1f MB, private (USS) %.1f MB\n"
                    + "  largest mappings (MB resident): \(top)",
                seconds,
                share,
                rss,
                memory.sharedClean,
                memory.anonymous,
                memory.pss,
                memory.private
            )
            return (share, rss, text)
        }
        return result.closureResult
    }

    static func cpuTicks(_ pid: Int32) throws -> Int {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let fields = stat[stat.range(of: ")")!.upperBound...].split(separator: " ")
        return Int(fields[11])! + Int(fields[12])!
    }

    /// Where the RSS is: `/proc/PID/smaps_rollup`, in MB (zeros when unreadable).
    static func memoryBreakdown(_ pid: Int32) -> (sharedClean: Double, anonymous: Double, pss: Double, private: Double) {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8)) ?? ""
        func field(_ name: String) -> Double {
            let line = text.split(separator: "\n").first { $0.hasPrefix(name + ":") } ?? ""
            return (Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0) / 1024
        }
        return (field("Shared_Clean"), field("Anonymous"), field("Pss"), field("Private_Clean") + field("Private_Dirty"))
    }

    /// The files (and `[anon]`) with the most resident pages, from `/proc/PID/smaps`, largest first.
    static func topMappings(_ pid: Int32, count: Int) -> [(name: String, megabytes: Double)] {
        // procfs files report size 0: read to the end rather than by the file's size.
        let data = FileHandle(forReadingAtPath: "/proc/\(pid)/smaps").map { $0.readDataToEndOfFile() } ?? Data()
        let text = String(decoding: data, as: UTF8.self)
        var name = "[anon]"
        var kilobytes: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let range = fields.first, range.contains("-"), range.allSatisfy({ $0.isHexDigit || $0 == "-" }) {
                name = fields.count > 5 ? String(fields[5].split(separator: "/").last ?? fields[5]) : "[anon]"
            } else if fields.first == "Rss:", fields.count > 1 {
                kilobytes[name, default: 0] += Int(fields[1]) ?? 0
            }
        }
        return kilobytes.sorted { $0.value > $1.value }.prefix(count).map { ($0.key, Double($0.value) / 1024) }
    }

    static func rssMB(_ pid: Int32) throws -> Double {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }
}
