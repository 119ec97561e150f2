import ArgumentParser
import Foundation
import Logging
import Subprocess
import WaybillAgent
import WaybillCore
import WaybillPrint
import WaybillStore
import WaybillTestSupport

/// `waybill-bench print`: labels through a private cupsd with a capture backend, Waybill's spooler
/// (durable spool + SQLite record + one IPP Print-Job each) against `lp` in the same run.
struct PrintBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print",
        abstract: "Per-label submit time vs lp (floor: 0.1x lp) and label requested -> accepted by CUPS p50/p99 (floor: p99 25 ms)."
    )

    @Option(help: "How many labels each.") var count = 200
    @Flag(help: "Run cupsd as the test suite does (every job kept, info logging) instead of as Debian ships it (500 jobs kept, warnings logged).")
    var testsProfile = false
    @Option(help: "Rounds the ways take turns in (each round: 1/rounds of the labels each way).") var rounds = 4
    @Flag(help: "Reach cupsd over TCP loopback instead of its domain socket (a station's default, CUPS_SERVER unset, is the socket).")
    var tcp = false
    /// cupsd's own files go to memory by default: it creates and deletes two files per job, and on a
    /// disk where ext4 runs without a journal (as on the machines measured here) every file created
    /// then scans past each inode deleted in the last one to six minutes, so each way's run slowed
    /// the next (measured: cupsd's CPU per job 1.2 ms on tmpfs, 1.4-2.9 ms on that disk). Both ways
    /// share this cupsd; Waybill's own spool and database stay on the disk, with their fsyncs.
    @Option(help: "Folder for the private cupsd (its spool and captured jobs); default /dev/shm where it exists, else the temporary directory.")
    var cupsdFolder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()

    func run() async throws {
        let cupsd = try await PrivateCupsd(parent: cupsdFolder, profile: testsProfile ? .tests : .stock)
        try cupsd.addQueue("bench")
        // Both ways reach cupsd the same way: its domain socket, as on a station, or TCP loopback.
        let server = tcp ? cupsd.server : cupsd.socketPath
        let folder = try TemporaryDirectory()
        let store = try WaybillStore.open(atPath: folder.file("station.sqlite"))
        let spooler = PrintSpooler(
            client: CupsClient(server: server),
            ledger: StorePrintJobLedger(store: store),
            spool: Spool(directory: folder.file("spool")),
            logger: Logger(label: "bench.print"),
            blockingLane: BlockingExecutor.shared
        )
        // As the agent renders them: customer text drawn from the document fonts into pictures.
        let renderer = ZPLRenderer(fonts: LabelFonts.shared)
        let labels = (0..<count).map { index in
            renderer.render(Self.label("W-\(index)"))
        }
        // Warm up the connection and the destination cache, as a running agent has them.
        try await spooler.print(labels[0], labelID: "WARM-UP", format: .zpl, printer: "bench")

        let clock = ContinuousClock()
        let cupsdBefore = cupsd.cpuTime() ?? .zero
        let file = folder.file("label.zpl")
        try Data(labels[0]).write(to: URL(fileURLWithPath: file))
        // cupsd slows down as its job history grows (measured here: 0.56 -> 0.85 ms per Print-Job
        // from 0 to 600 kept jobs), so the ways take turns in rounds and each meets the same history.
        var waybill = Duration.zero
        var serial = Duration.zero
        var lp = Duration.zero
        var latencies: [Duration] = []
        var ratios: [Double] = []
        let rounds = max(1, min(self.rounds, count))
        var done = 0
        for round in 0..<rounds {
            let indices = Array(stride(from: round, to: count, by: rounds))

            // As the agent prints: each label queued, spooled and recorded with the labels around it,
            // then sent to CUPS while the next ones are made durable; timed until CUPS accepted the last one.
            func asTheAgentPrints() async throws -> Duration {
                let start = clock.now
                for index in indices {
                    try await spooler.enqueue(labels[index], labelID: "W-\(index)", format: .zpl, printer: "bench")
                }
                await spooler.flush()
                let elapsed = clock.now - start
                for index in indices {
                    guard let job = try store.printJob(labelID: "W-\(index)"), job.state == .submitted || job.state == .printed else {
                        throw BenchError("W-\(index) was not accepted: \(try store.printJob(labelID: "W-\(index)")?.reason ?? "no record")")
                    }
                }
                return elapsed
            }

            // One at a time, each waiting for CUPS's answer before the next is requested: the latency.
            func oneAtATime() async throws -> Duration {
                let start = clock.now
                for index in indices {
                    let one = clock.now
                    let job = try await spooler.print(labels[index], labelID: "S-\(index)", format: .zpl, printer: "bench")
                    latencies.append(clock.now - one)
                    guard job.state == .submitted else { throw BenchError("S-\(index) was not accepted: \(job.reason ?? "")") }
                }
                return clock.now - start
            }

            func withLp() async throws -> Duration {
                let start = clock.now
                for index in indices {
                    let result = try await Subprocess.run(
                        .name("lp"),
                        arguments: ["-h", server, "-d", "bench", "-t", "P-\(index)", "-o", "raw", file],
                        output: .discarded,
                        error: .string(limit: 4096)
                    )
                    guard result.terminationStatus.isSuccess else { throw BenchError("lp failed: \(result.standardError)") }
                }
                return clock.now - start
            }

            // lp goes first in every other round, so neither side always meets a busier cupsd.
            let (ours, peer): (Duration, Duration)
            if round % 2 == 0 {
                ours = try await asTheAgentPrints()
                serial += try await oneAtATime()
                peer = try await withLp()
            } else {
                peer = try await withLp()
                ours = try await asTheAgentPrints()
                serial += try await oneAtATime()
            }
            waybill += ours
            lp += peer
            ratios.append(ours.seconds / peer.seconds)
            done += indices.count
            try await waitForCaptures(cupsd, 3 * done + 1)
        }
        // Each label of the three ways was one job: cupsd's own work per job, its lower bound.
        let cupsdPerJob = ((cupsd.cpuTime() ?? .zero) - cupsdBefore) / (3 * count)
        waybill /= count
        serial /= count
        lp /= count

        // Breakdown: each part of a label's path alone, same sizes, same run.
        let spool = Spool(directory: folder.file("parts"))
        let client = CupsClient(server: server)
        _ = try await client.submit(labels[0], format: .zpl, printer: "bench", jobName: "X-WARM")
        var parts: [String: Duration] = [:]
        let partStart = clock.now
        for index in 0..<count { try spool.write(labels[index], named: "X-\(index).zpl") }
        parts["spool write (fsync file + folder)"] = (clock.now - partStart) / count
        let batchSpoolStart = clock.now
        try spool.write(batch: labels.indices.map { (name: "Y-\($0).zpl", bytes: labels[$0]) })
        parts["spool write, one batch"] = (clock.now - batchSpoolStart) / count
        let recordStart = clock.now
        for index in 0..<count {
            try store.insertPrintJob(
                PrintJobRecord(labelID: "X-\(index)", printer: "bench", format: .zpl, spoolPath: "x", createdAt: 0, updatedAt: 0)
            )
        }
        parts["SQLite record (one commit)"] = (clock.now - recordStart) / count
        let ippStart = clock.now
        for index in 0..<count { _ = try await client.submit(labels[index], format: .zpl, printer: "bench", jobName: "X-\(index)") }
        parts["IPP Print-Job"] = (clock.now - ippStart) / count
        try await waitForCaptures(cupsd, 4 * count + 2)

        latencies.sort()
        let duplicates = Dictionary(grouping: cupsd.capturedFiles(), by: \.name).values.filter { $0.count > 1 }.count
        print(
            "labels: \(count) each through a private cupsd (capture backend: \(PrivateCupsd.backendKind); "
                + (testsProfile ? "every job kept, info logging" : "as Debian ships cupsd.conf: 500 jobs kept, warnings logged")
                + "); duplicates captured: \(duplicates)"
        )
        print("waybill per label: \(milliseconds(waybill))   (as the agent prints: durable spool, SQLite record, one IPP Print-Job, pipelined)")
        print("lp per label:      \(milliseconds(lp))   (one process, three IPP requests)")
        print(Rounds.ratioLine("waybill/lp", ratios, digits: 3, floor: "floor: at most 0.1x"))
        print(
            "  one at a time, each waiting for CUPS's answer: \(milliseconds(serial)) (\(ratio(serial, lp)))"
        )
        print(
            "label requested -> accepted by CUPS, one at a time: p50 \(milliseconds(percentile(latencies, 0.5))), "
                + "p99 \(milliseconds(percentile(latencies, 0.99)))   (floor: p99 25 ms)"
        )
        print("  cupsd's own CPU per job (accepting, starting the backend, finishing; all three ways): \(milliseconds(cupsdPerJob))")
        for (name, duration) in parts.sorted(by: { $0.key < $1.key }) { print("  part: \(name): \(milliseconds(duration))") }
        cupsd.stop()
    }

    private func ratio(_ duration: Duration, _ peer: Duration) -> String {
        String(format: "%.3fx", duration.seconds / peer.seconds)
    }

    private func waitForCaptures(_ cupsd: PrivateCupsd, _ expected: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while cupsd.capturedFiles().count < expected {
            guard ContinuousClock.now < deadline else { throw BenchError("cupsd printed only \(cupsd.capturedFiles().count) of \(expected)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func label(_ id: String) -> ShippingLabel {
        ShippingLabel(
            id: BarcodeID(rawValue: id)!,
            shipFrom: LabelAddress(name: "Waybill DC", lines: ["1 Dock Rd"], city: "Leeds", postalCode: "LS1 1AA", country: "GB"),
            shipTo: LabelAddress(name: "Ada Lovelace", lines: ["12 Analytical Row"], city: "London", postalCode: "NW1 6XE", country: "GB"),
            service: "Ground",
            weightGrams: 1250,
            boxNumber: 1,
            boxCount: 1,
            orderReference: "PO-\(id)",
            tracking: BarcodeID(rawValue: "1Z" + id),
            boxID: BarcodeID(rawValue: "BOX-" + id)!
        )
    }
}
