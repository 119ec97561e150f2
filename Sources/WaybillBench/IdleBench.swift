import ArgumentParser
import Foundation
import Subprocess
import SystemPackage
import WaybillTestSupport

/// `waybill-bench idle`: CPU share and memory of an idle agent polling every 5 s, as a station runs it.
///
/// Three configurations, each its own agent over the same hub: local HTTP off; local HTTP on (the
/// default); local HTTP on with a label and a document printer on a private cupsd, which the agent
/// polls as a real station does. Memory is reported as the kernel counts it, with nothing done to
/// the process to move a figure: RSS (reported, not a floor), PSS, private memory (USS: pages no other
/// process shares, what the agent really costs) and anonymous memory, and, when the agent runs in a
/// memory cgroup of its own (a systemd service), that cgroup's anonymous memory.
struct IdleBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idle",
        abstract: "Idle agent CPU share and memory (floors: 0.2 % of a core, 20 MB private memory)."
    )

    @Option(help: "Seconds to measure each configuration.") var seconds = 60
    @Option(help: "The waybill binary (default: beside this one; pass the .deb's /usr/bin/waybill to measure it as shipped).")
    var waybill: String?

    /// One configuration the agent is measured in.
    enum Setup: String, CaseIterable {
        case httpOff = "HTTP off"
        case httpOn = "HTTP on"
        case printers = "HTTP on, 2 printers"
    }

    /// What one configuration measured.
    struct Measurement {
        var cpu: Double
        var memory: Memory
        var text: String
    }

    func run() async throws {
        let hub = try await BenchHub.start(orders: 200)
        defer { hub.stop() }
        let cupsd = try await PrivateCupsd(profile: .stock)
        defer { cupsd.stop() }
        try cupsd.addQueue("idle-label")
        try cupsd.addQueue("idle-document")
        var results: [Setup: Measurement] = [:]
        for setup in Setup.allCases {
            let measured = try await measure(hub: hub, setup: setup, cupsd: cupsd)
            print(measured.text)
            results[setup] = measured
        }
        if let off = results[.httpOff], let on = results[.httpOn], let printers = results[.printers] {
            print(
                String(
                    format: "private memory: HTTP on / off x%.2f, printers / HTTP on x%.2f; CPU: HTTP on / off x%.2f, printers / HTTP on x%.2f",
                    on.memory.uss / max(off.memory.uss, 0.001),
                    printers.memory.uss / max(on.memory.uss, 0.001),
                    on.cpu / max(off.cpu, 0.0001),
                    printers.cpu / max(on.cpu, 0.0001)
                )
            )
        }
    }

    /// Runs an idle agent in `setup` and measures its CPU share and memory.
    private func measure(hub: BenchHub, setup: Setup, cupsd: PrivateCupsd) async throws -> Measurement {
        let listen = setup == .httpOff ? "off" : "127.0.0.1:\(18_300 + Int.random(in: 0..<600))"
        let printers =
            setup == .printers
            ? "cups: {server: \"\(cupsd.socketPath)\"}\nprinters: {label: idle-label, document: idle-document}\n" : ""
        let config = try hub.writeAgentConfiguration(
            folder: hub.folder + "/idle-" + String(describing: setup),
            listen: listen,
            pollInterval: "5s",
            extra: printers
        )
        let binary = BenchHub.waybillBinary(waybill)
        let seconds = self.seconds
        let result = try await Subprocess.run(
            .path(FilePath(binary)),
            arguments: ["agent", "--config", config],
            input: .none,
            output: .discarded,
            error: .discarded
        ) { execution -> Measurement in
            let pid = execution.processIdentifier.value
            try await Task.sleep(for: .seconds(5))  // start-up and the first full pull are not "idle"
            let before = try Self.cpuTicks(pid)
            try await Task.sleep(for: .seconds(seconds))
            let after = try Self.cpuTicks(pid)
            let memory = Memory.read(pid)
            let top = Self.topMappings(pid, count: 8).map { "\($0.name) " + String(format: "%.1f", $0.megabytes) }.joined(separator: ", ")
            try execution.send(signal: .terminate)
            let share = Double(after - before) / Double(sysconf(Int32(_SC_CLK_TCK))) / Double(seconds) * 100
            let cgroup =
                memory.cgroupAnonymous.map { String(format: "%.1f MB", $0) } ?? "not measured (the agent shares its cgroup with this benchmark)"
            let text = String(
                format:
                    "idle agent over %d s (poll 5 s, \(setup.rawValue)): CPU %.3f %% of a core, private memory (USS) %.1f MB   (floors: 0.2 %%, 20 MB)\n"
                    + "  RSS %.1f MB (reported, not a floor), PSS %.1f MB, anonymous %.1f MB, shared clean file pages %.1f MB; cgroup anonymous: \(cgroup)\n"
                    + "  largest mappings (MB resident): \(top)",
                seconds,
                share,
                memory.uss,
                memory.rss,
                memory.pss,
                memory.anonymous,
                memory.sharedClean
            )
            return Measurement(cpu: share, memory: memory, text: text)
        }
        return result.closureResult
    }

    /// A process's memory as the kernel reports it, in MB.
    struct Memory {
        var rss = 0.0
        var pss = 0.0
        /// Private (USS): clean and dirty pages no other process maps.
        var uss = 0.0
        var anonymous = 0.0
        var sharedClean = 0.0
        /// The anonymous memory of the process's memory cgroup, when that cgroup is not this benchmark's own.
        var cgroupAnonymous: Double?

        /// Reads `/proc/PID/smaps_rollup` and the process's memory cgroup (zeros when unreadable).
        static func read(_ pid: Int32) -> Memory {
            let text = (try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8)) ?? ""
            func field(_ name: String) -> Double {
                let line = text.split(separator: "\n").first { $0.hasPrefix(name + ":") } ?? ""
                return (Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0) / 1024
            }
            var memory = Memory()
            memory.rss = field("Rss")
            memory.pss = field("Pss")
            memory.uss = field("Private_Clean") + field("Private_Dirty")
            memory.anonymous = field("Anonymous")
            memory.sharedClean = field("Shared_Clean")
            memory.cgroupAnonymous = cgroupAnonymous(pid)
            return memory
        }

        /// The anonymous bytes (MB) of `pid`'s memory cgroup: `anon` of cgroup v2's memory.stat, or
        /// `total_rss` of v1's; nil when the process shares this benchmark's cgroup (the figure would
        /// count the benchmark and everything else in it) or the file cannot be read.
        static func cgroupAnonymous(_ pid: Int32) -> Double? {
            func memoryCgroup(_ process: String) -> (path: String, v2: Bool)? {
                let lines = ((try? String(contentsOfFile: "/proc/\(process)/cgroup", encoding: .utf8)) ?? "").split(separator: "\n")
                if let v1 = lines.first(where: {
                    $0.split(separator: ":", maxSplits: 2).dropFirst().first?.split(separator: ",").contains("memory") == true
                }) {
                    return (String(v1.split(separator: ":", maxSplits: 2)[2]), false)
                }
                if let v2 = lines.first(where: { $0.hasPrefix("0::") }) { return (String(v2.dropFirst(3)), true) }
                return nil
            }
            guard let agent = memoryCgroup("\(pid)"), let own = memoryCgroup("self"), agent.path != own.path else { return nil }
            let file = agent.v2 ? "/sys/fs/cgroup\(agent.path)/memory.stat" : "/sys/fs/cgroup/memory\(agent.path)/memory.stat"
            let key = agent.v2 ? "anon" : "total_rss"
            let stat = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            guard let line = stat.split(separator: "\n").first(where: { $0.hasPrefix(key + " ") }), let bytes = Double(line.split(separator: " ")[1])
            else {
                return nil
            }
            return bytes / 1_048_576
        }
    }

    static func cpuTicks(_ pid: Int32) throws -> Int {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let fields = stat[stat.range(of: ")")!.upperBound...].split(separator: " ")
        return Int(fields[11])! + Int(fields[12])!
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
}
