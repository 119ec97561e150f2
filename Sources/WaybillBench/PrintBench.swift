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
    @Option(help: "Folder for the private cupsd (its spool and captured jobs); /dev/shm keeps them off the disk the spool fsyncs to.")
    var cupsdFolder = NSTemporaryDirectory()

    func run() async throws {
        let cupsd = try await PrivateCupsd(parent: cupsdFolder)
        try cupsd.addQueue("bench")
        let folder = try TemporaryDirectory()
        let store = try WaybillStore.open(atPath: folder.file("station.sqlite"))
        let spooler = PrintSpooler(
            client: CupsClient(server: cupsd.server),
            ledger: StorePrintJobLedger(store: store),
            spool: Spool(directory: folder.file("spool")),
            logger: Logger(label: "bench.print")
        )
        let labels = (0..<count).map { index in
            ZPLRenderer().render(Self.label("W-\(index)"))
        }
        // Warm up the connection and the destination cache, as a running agent has them.
        try await spooler.enqueue(labels[0], labelID: "WARM-UP", format: .zpl, printer: "bench")

        let clock = ContinuousClock()
        var latencies: [Duration] = []
        let waybillStart = clock.now
        for (index, bytes) in labels.enumerated() {
            let start = clock.now
            let job = try await spooler.enqueue(bytes, labelID: "W-\(index)", format: .zpl, printer: "bench")
            latencies.append(clock.now - start)
            guard job.state == .submitted else { throw BenchError("W-\(index) was not accepted: \(job.reason ?? "")") }
        }
        let waybill = (clock.now - waybillStart) / count
        try await waitForCaptures(cupsd, count + 1)

        // The same labels as one batch (a wave printed ahead): one durable spool write for all.
        let batchStart = clock.now
        let batch = try await spooler.enqueue(
            batch: labels.indices.map { .init(labelID: "B-\($0)", bytes: labels[$0], format: .zpl, printer: "bench") }
        )
        let batched = (clock.now - batchStart) / count
        guard batch.allSatisfy({ $0.state == .submitted }) else { throw BenchError("a batch label was not accepted") }
        try await waitForCaptures(cupsd, 2 * count + 1)

        let file = folder.file("label.zpl")
        try Data(labels[0]).write(to: URL(fileURLWithPath: file))
        let lpStart = clock.now
        for index in 0..<count {
            let result = try await Subprocess.run(
                .name("lp"),
                arguments: ["-h", cupsd.server, "-d", "bench", "-t", "P-\(index)", "-o", "raw", file],
                output: .discarded,
                error: .string(limit: 4096)
            )
            guard result.terminationStatus.isSuccess else { throw BenchError("lp failed: \(result.standardError)") }
        }
        let lp = (clock.now - lpStart) / count
        try await waitForCaptures(cupsd, 3 * count + 1)

        // Breakdown: each part of a label's path alone, same sizes, same run.
        let spool = Spool(directory: folder.file("parts"))
        let client = CupsClient(server: cupsd.server)
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
        print("labels: \(count) each through a private cupsd (capture backend); duplicates captured: \(duplicates)")
        print("waybill per label: \(milliseconds(waybill))   (durable spool, SQLite record, one IPP Print-Job)")
        print("lp per label:      \(milliseconds(lp))   (one process, three IPP requests)")
        print("waybill per label, one batch of \(count): \(milliseconds(batched))   (one spool flush for the batch)")
        print(
            String(
                format: "ratio waybill/lp: %.3fx one at a time, %.3fx batched   (floor: at most 0.1x)",
                waybill.seconds / lp.seconds,
                batched.seconds / lp.seconds
            )
        )
        print(
            "label requested -> accepted by CUPS: p50 \(milliseconds(percentile(latencies, 0.5))), "
                + "p99 \(milliseconds(percentile(latencies, 0.99)))   (floor: p99 25 ms)"
        )
        for (name, duration) in parts.sorted(by: { $0.key < $1.key }) { print("  part: \(name): \(milliseconds(duration))") }
        cupsd.stop()
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
