import Foundation
import Logging
import Testing
import WaybillAgent
import WaybillCore
import WaybillPrint
import WaybillStore
import WaybillTestSupport

/// Restart and reconciliation with a real SQLite file and a real private cupsd: whatever state a
/// crash left, every label prints exactly once.
@Suite(.serialized, .timeLimit(.minutes(5))) struct PrintReconcileTests {
    struct Station {
        let cupsd: PrivateCupsd
        let folder: TemporaryDirectory
        let client: CupsClient
        var storePath: String { folder.file("station.sqlite") }
        var spool: Spool { Spool(directory: folder.file("spool")) }

        init() async throws {
            cupsd = try await PrivateCupsd()
            try cupsd.addQueue("labels")
            folder = try TemporaryDirectory()
            client = CupsClient(server: cupsd.server)
        }

        /// A fresh spooler over the same database file: what a restarted agent builds.
        func restartedSpooler(landingGrace: Duration = .seconds(15)) throws -> (PrintSpooler, WaybillStore) {
            let store = try WaybillStore.open(atPath: storePath)
            let spooler = PrintSpooler(
                client: client,
                ledger: StorePrintJobLedger(store: store),
                spool: spool,
                configuration: .init(
                    pollInterval: .milliseconds(50),
                    retry: RetryPolicy(base: .milliseconds(100), cap: .milliseconds(400)),
                    landingGrace: landingGrace
                ),
                logger: Logger(label: "test.print")
            )
            return (spooler, store)
        }

        /// What the crashed agent had written: the spool file and the job row.
        func leftBehind(_ labelID: String, state: PrintJobState, attempts: Int, cupsJobID: Int? = nil, sentAt: Double = 1) throws -> [UInt8] {
            let bytes = Array("^XA^FH_^FD\(labelID)^FS^XZ".utf8)
            let path = try spool.write(bytes, named: "\(labelID).zpl")
            let store = try WaybillStore.open(atPath: storePath)
            try store.insertPrintJob(
                PrintJobRecord(
                    labelID: labelID,
                    printer: "labels",
                    format: .zpl,
                    spoolPath: path,
                    state: state,
                    cupsJobID: cupsJobID,
                    attempts: attempts,
                    createdAt: sentAt,
                    updatedAt: sentAt
                )
            )
            return bytes
        }

        func printed(_ store: WaybillStore, _ labelID: String) async throws -> PrintJobRecord {
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                if let job = try store.printJob(labelID: labelID), job.state == .printed { return job }
                try await Task.sleep(for: .milliseconds(25))
            }
            throw TestSupportError("\(labelID) did not print: \(String(describing: try store.printJob(labelID: labelID)))")
        }
    }

    @Test func restart_afterCupsAcceptedButBeforeTheRecord_adoptsTheJobInsteadOfResending() async throws {
        let station = try await Station()
        let bytes = try station.leftBehind("L-10", state: .spooled, attempts: 1)
        // The crashed agent's request had reached CUPS.
        let sent = try await station.client.submit(bytes, format: .zpl, printer: "labels", jobName: "L-10")
        let (spooler, store) = try station.restartedSpooler()
        let runner = Task { await spooler.run() }
        defer { runner.cancel() }
        let job = try await station.printed(store, "L-10")
        #expect(job.cupsJobID == sent && job.attempts == 1)
        #expect(job.reason?.contains("not sent again") == true)
        #expect(station.cupsd.captured("L-10") == [bytes])
    }

    @Test func restart_whileTheLastRequestIsStillLanding_waitsAndAdoptsIt_insteadOfResending() async throws {
        let station = try await Station()
        // Sent just before the crash; a busy cupsd has not created the job yet.
        let bytes = try station.leftBehind("L-13", state: .spooled, attempts: 1, sentAt: Date().timeIntervalSince1970)
        let (spooler, store) = try station.restartedSpooler(landingGrace: .seconds(30))
        let runner = Task { await spooler.run() }
        defer { runner.cancel() }
        let deadline = ContinuousClock.now + .seconds(20)
        while try store.printJob(labelID: "L-13")?.nextAttemptAt == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(25))
        }
        #expect(try store.printJob(labelID: "L-13")?.nextAttemptAt != nil, "the spooler did not wait for the request to land")
        #expect(station.cupsd.captured("L-13").isEmpty, "resent while the first request could still land")
        // Now the crashed agent's request lands.
        let landed = try await station.client.submit(bytes, format: .zpl, printer: "labels", jobName: "L-13")
        spooler.wake()
        let job = try await station.printed(store, "L-13")
        #expect(job.cupsJobID == landed && job.attempts == 1)
        #expect(station.cupsd.captured("L-13") == [bytes])
    }

    @Test func restart_afterSpoolingButBeforeSending_sendsOnce() async throws {
        let station = try await Station()
        let bytes = try station.leftBehind("L-11", state: .spooled, attempts: 0)
        let (spooler, store) = try station.restartedSpooler()
        let runner = Task { await spooler.run() }
        defer { runner.cancel() }
        let job = try await station.printed(store, "L-11")
        #expect(job.attempts == 1 && job.resubmissions == 0)
        #expect(station.cupsd.captured("L-11") == [bytes])
    }

    @Test func restart_whenCupsLostTheJob_resubmitsOnce_andRecordsIt() async throws {
        let station = try await Station()
        let bytes = try station.leftBehind("L-12", state: .submitted, attempts: 1, cupsJobID: 9_999)
        let (spooler, store) = try station.restartedSpooler()
        let runner = Task { await spooler.run() }
        defer { runner.cancel() }
        let job = try await station.printed(store, "L-12")
        #expect(job.resubmissions == 1 && job.attempts == 2 && job.cupsJobID != 9_999)
        #expect(job.reason == "CUPS lost job 9999; resubmitted once")
        #expect(station.cupsd.captured("L-12") == [bytes])
    }

    @Test func restart_withJobsInEveryState_printsEachLabelExactlyOnce() async throws {
        let station = try await Station()
        var expected: [String: [UInt8]] = [:]
        for index in 0..<30 {
            let labelID = "L-2\(index)"
            switch index % 3 {
            case 0: expected[labelID] = try station.leftBehind(labelID, state: .spooled, attempts: 0)
            case 1:
                let bytes = try station.leftBehind(labelID, state: .spooled, attempts: 1)
                _ = try await station.client.submit(bytes, format: .zpl, printer: "labels", jobName: labelID)
                expected[labelID] = bytes
            default:
                let bytes = try station.leftBehind(labelID, state: .held, attempts: 1)
                expected[labelID] = bytes
            }
        }
        // Cupsd restarts too, as after a power cut.
        station.cupsd.stop()
        try await station.cupsd.start()
        let (spooler, store) = try station.restartedSpooler()
        let runner = Task { await spooler.run() }
        defer { runner.cancel() }
        for labelID in expected.keys { _ = try await station.printed(store, labelID) }
        for (labelID, bytes) in expected {
            #expect(station.cupsd.captured(labelID) == [bytes], "\(labelID)")
        }
        #expect(try store.openPrintJobs().isEmpty)
    }
}
