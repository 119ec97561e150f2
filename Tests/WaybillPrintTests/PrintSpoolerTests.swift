import Foundation
import Logging
import Testing
import WaybillCore
import WaybillPrint
import WaybillTestSupport

/// The spooler against a real private cupsd: every fault ends in exactly one printed copy.
@Suite(.serialized, .timeLimit(.minutes(5))) struct PrintSpoolerTests {
    struct Rig {
        let cupsd: PrivateCupsd
        let ledger = MemoryLedger()
        let spooler: PrintSpooler
        let folder: TemporaryDirectory
        let runner: Task<Void, Never>

        init(queues: [String] = ["labels"], idlePollInterval: Duration = .seconds(30)) async throws {
            cupsd = try await PrivateCupsd()
            for queue in queues { try cupsd.addQueue(queue) }
            folder = try TemporaryDirectory()
            spooler = PrintSpooler(
                client: CupsClient(server: cupsd.server),
                ledger: ledger,
                spool: Spool(directory: folder.file("spool")),
                configuration: .init(
                    pollInterval: .milliseconds(50),
                    retry: RetryPolicy(base: .milliseconds(100), cap: .milliseconds(400)),
                    idlePollInterval: idlePollInterval
                ),
                logger: Logger(label: "test.print")
            )
            let spooler = spooler
            runner = Task { await spooler.run() }
        }

        /// Waits until the job is in `state` and returns it.
        func wait(_ labelID: String, _ state: PrintJobState) async throws -> PrintJobRecord {
            try await CupsFixtures.poll { await ledger.jobs[labelID].flatMap { $0.state == state ? $0 : nil } }
        }
    }

    static let zpl = ZPLRenderer().render(CupsFixtures.label("Ada"))

    @Test func label_isSpooledSubmittedAndPrinted_byteForByte() async throws {
        let rig = try await Rig()
        defer { rig.runner.cancel() }
        let submitted = try await rig.spooler.print(Self.zpl, labelID: "L-1", format: .zpl, printer: "labels")
        #expect(submitted.state == .submitted && submitted.cupsJobID != nil && submitted.attempts == 1)
        #expect(await rig.ledger.history.map(\.state) == [.spooled, .submitted], "two commits per label: record, then CUPS's answer")
        #expect(try Spool(directory: rig.folder.file("spool")).read(named: "L-1.zpl") == Self.zpl)
        _ = try await rig.wait("L-1", .printed)
        #expect(rig.cupsd.captured("L-1") == [Self.zpl])
    }

    @Test func print_amongQueuedLabels_answersForItsOwnLabel_andEveryLabelPrintsOnce() async throws {
        let rig = try await Rig()
        defer { rig.runner.cancel() }
        let labels = (0..<12).map { (id: "B-\($0)", bytes: Self.zpl + [UInt8($0)]) }
        for label in labels.dropLast() {
            try await rig.spooler.enqueue(label.bytes, labelID: label.id, format: .zpl, printer: "labels")
        }
        // The same pipeline: the last label waits its turn behind the others, then gets its own answer.
        let last = try await rig.spooler.print(labels[11].bytes, labelID: "B-11", format: .zpl, printer: "labels")
        #expect(last.labelID == "B-11" && last.state == .submitted && last.cupsJobID != nil)
        let ids = await labels.asyncMap { await rig.ledger.jobs[$0.id]?.cupsJobID }
        #expect(ids.allSatisfy { $0 != nil } && ids.compactMap { $0 } == ids.compactMap { $0 }.sorted(), "sent in the order they were queued")
        for label in labels {
            _ = try await rig.wait(label.id, .printed)
            #expect(rig.cupsd.captured(label.id) == [label.bytes])
        }
    }

    @Test func idleSpooler_isWokenByWhatItIsGiven_notByItsIdlePoll() async throws {
        // An idle poll longer than the test's deadlines: only the wakes can move these labels on.
        let rig = try await Rig(idlePollInterval: .seconds(3600))
        defer { rig.runner.cancel() }
        // Let the first pass find nothing open, so the spooler idles.
        _ = try await CupsFixtures.poll { await rig.ledger.emptyReads > 0 ? true : nil }
        try await rig.spooler.enqueue(Self.zpl, labelID: "I-1", format: .zpl, printer: "labels")
        _ = try await rig.wait("I-1", .printed)
        // Idle again (a pass found nothing open after I-1 printed), then a label recorded for the
        // running spooler to send (a CLI reprint): wake() brings it at once.
        let idle = await rig.ledger.emptyReads
        _ = try await CupsFixtures.poll { await rig.ledger.emptyReads > idle ? true : nil }
        let reprint = try await rig.spooler.recordReprint(labelID: "I-1", reason: "torn")
        _ = try await rig.wait(reprint.labelID, .printed)
        #expect(rig.cupsd.captured("I-1").count == 1 && rig.cupsd.captured(reprint.labelID).count == 1)
    }

    @Test func pipelined_isSpooledAndRecordedInGroups_thenSendsEachLabelOnce_inOrder() async throws {
        let rig = try await Rig()
        defer { rig.runner.cancel() }
        let labels = (0..<40).map { (id: "P-\($0)", bytes: Self.zpl + [UInt8($0)]) }
        for label in labels {
            let queued = try await rig.spooler.enqueue(label.bytes, labelID: label.id, format: .zpl, printer: "labels")
            #expect(queued.state == .spooled && queued.attempts == 1, "its attempt is counted in the record written before it is sent")
        }
        await rig.spooler.recorded()
        for label in labels {
            #expect(await rig.ledger.jobs[label.id] != nil, "recorded once recorded() returns")
            #expect(try Spool(directory: rig.folder.file("spool")).read(named: "\(label.id).zpl") == label.bytes)
        }
        let inserted = await rig.ledger.history.filter { $0.state == .spooled }
        #expect(inserted.count == labels.count, "each label recorded once, before CUPS's answer")
        #expect(await rig.ledger.insertCommits < labels.count, "records are written in groups")
        await rig.spooler.flush()
        let sent = await labels.asyncMap { await rig.ledger.jobs[$0.id] }
        #expect(sent.allSatisfy { $0?.state == .submitted || $0?.state == .printed }, "flush returns once every label was accepted")
        let ids = sent.compactMap { $0?.cupsJobID }
        #expect(ids.count == labels.count && ids == ids.sorted(), "sent in the order they were enqueued")
        for label in labels {
            _ = try await rig.wait(label.id, .printed)
            #expect(rig.cupsd.captured(label.id) == [label.bytes])
        }
    }

    @Test func pipelined_sameLabelAskedAgainWhileWaiting_isQueuedOnce() async throws {
        let rig = try await Rig()
        defer { rig.runner.cancel() }
        // Many labels first, so that the repeated ones are still waiting when asked for again.
        for index in 0..<30 {
            try await rig.spooler.enqueue(Self.zpl, labelID: "W-\(index)", format: .zpl, printer: "labels")
        }
        for index in 0..<30 {
            do {
                // Still waiting: the waiting job comes back.
                try await rig.spooler.enqueue(Self.zpl, labelID: "W-\(index)", format: .zpl, printer: "labels")
            } catch {
                #expect(error.code == .invalidRequest, "a label already recorded or being sent is refused, never queued twice")
            }
        }
        await rig.spooler.flush()
        for index in 0..<30 {
            _ = try await rig.wait("W-\(index)", .printed)
            #expect(rig.cupsd.captured("W-\(index)").count == 1)
        }
        #expect(await rig.ledger.history.filter { $0.state == .spooled }.count == 30)
    }

    @Test func pipelined_onAMissingQueue_isHeld_thenPrintsOnce() async throws {
        let rig = try await Rig(queues: [])
        defer { rig.runner.cancel() }
        try await rig.spooler.enqueue(Self.zpl, labelID: "P-H", format: .zpl, printer: "labels")
        await rig.spooler.flush()
        #expect(await rig.ledger.jobs["P-H"]?.reason?.contains("does not exist") == true)
        try rig.cupsd.addQueue("labels")
        _ = try await rig.wait("P-H", .printed)
        #expect(rig.cupsd.captured("P-H").count == 1)
    }

    @Test func run_stopsAtOnceWhenCancelled_andChangesAreStreamed() async throws {
        let rig = try await Rig()
        var changes = rig.spooler.changes.makeAsyncIterator()
        try await rig.spooler.print(Self.zpl, labelID: "L-9", format: .zpl, printer: "labels")
        #expect(await changes.next()?.state == .spooled)
        #expect(await changes.next()?.state == .submitted)
        _ = try await rig.wait("L-9", .printed)
        #expect(await changes.next()?.state == .printed)
        rig.runner.cancel()
        await rig.runner.value
    }

    @Test func missingQueue_holdsTheLabel_untilTheQueueExists() async throws {
        let rig = try await Rig(queues: [])
        defer { rig.runner.cancel() }
        let held = try await rig.spooler.print(Self.zpl, labelID: "L-2", format: .zpl, printer: "labels")
        #expect(held.state == .held && held.reason?.contains("does not exist") == true)
        try rig.cupsd.addQueue("labels")
        _ = try await rig.wait("L-2", .printed)
        #expect(rig.cupsd.captured("L-2").count == 1)
    }

    @Test func rejectingQueue_holdsTheLabel_untilAccepted() async throws {
        let rig = try await Rig()
        defer { rig.runner.cancel() }
        try rig.cupsd.reject("labels")
        let held = try await rig.spooler.print(Self.zpl, labelID: "L-3", format: .zpl, printer: "labels")
        #expect(held.state == .held && held.reason?.contains("cupsaccept") == true)
        try rig.cupsd.accept("labels")
        _ = try await rig.wait("L-3", .printed)
        #expect(rig.cupsd.captured("L-3").count == 1)
    }

    @Test func disabledQueue_showsHeld_thenPrintsOnceEnabled() async throws {
        let rig = try await Rig()
        defer { rig.runner.cancel() }
        try rig.cupsd.disable("labels")
        try await rig.spooler.print(Self.zpl, labelID: "L-4", format: .zpl, printer: "labels")
        let held = try await rig.wait("L-4", .held)
        #expect(held.reason?.contains("cupsenable") == true)
        try rig.cupsd.enable("labels")
        _ = try await rig.wait("L-4", .printed)
        #expect(rig.cupsd.captured("L-4").count == 1)
    }

    /// A label CUPS holds (its queue paused) is withdrawn by the conflict rules (its order
    /// intercepted): the spooler cancels the job in CUPS and records why, so it does not print
    /// when the printer comes back, while the labels after it do.
    @Test func aWithdrawnLabelThatCUPSHolds_isCancelledThere_andNeverPrints() async throws {
        let rig = try await Rig()
        defer { rig.runner.cancel() }
        try rig.cupsd.disable("labels")
        try await rig.spooler.print(Self.zpl, labelID: "W-1", format: .zpl, printer: "labels")
        let held = try await rig.wait("W-1", .held)
        let cupsJobID = try #require(held.cupsJobID, "CUPS took the job and holds it")
        await rig.ledger.withdraw("W-1", reason: "withdrawn by conflict #7 (intercept)")
        let withdrawn = try await rig.wait("W-1", .failed)
        #expect(withdrawn.reason == "withdrawn by conflict #7 (intercept); job \(cupsJobID) cancelled in CUPS")

        try rig.cupsd.enable("labels")
        try await rig.spooler.print(Self.zpl, labelID: "W-2", format: .zpl, printer: "labels")
        _ = try await rig.wait("W-2", .printed)
        #expect(rig.cupsd.captured("W-1").isEmpty, "the withdrawn label printed when the printer came back")
        #expect(rig.cupsd.captured("W-2").count == 1)
    }

    /// A document replaced (an address change) or voided after it was asked for and before its job
    /// was recorded never reaches CUPS, and holds back none of the labels spooled with it.
    @Test func aDocumentWithdrawnBeforeItsJobIsRecorded_neverReachesCUPS() async throws {
        let rig = try await Rig()
        defer { rig.runner.cancel() }
        await rig.ledger.withdrawDocument("D-1")
        try await rig.spooler.enqueue(Self.zpl, labelID: "D-2", format: .zpl, printer: "labels")
        do {
            try await rig.spooler.print(Self.zpl, labelID: "D-1", format: .zpl, printer: "labels")
            Issue.record("a withdrawn document was sent")
        } catch {
            #expect(error.code == .withdrawn, "\(error)")
        }
        _ = try await rig.wait("D-2", .printed)
        #expect(await rig.ledger.jobs["D-1"] == nil)
        #expect(rig.cupsd.captured("D-1").isEmpty)
        #expect(rig.cupsd.captured("D-2").count == 1)
    }

    @Test func emptyMedia_showsHeld_thenPrintsOnceLoaded() async throws {
        let rig = try await Rig()
        defer { rig.runner.cancel() }
        try rig.cupsd.setFault(.mediaEmpty, on: "labels")
        try await rig.spooler.print(Self.zpl, labelID: "L-5", format: .zpl, printer: "labels")
        let held = try await rig.wait("L-5", .held)
        #expect(held.reason?.contains("out of labels") == true)
        try rig.cupsd.setFault(nil, on: "labels")
        try rig.cupsd.enable("labels")
        _ = try await rig.wait("L-5", .printed)
        #expect(rig.cupsd.captured("L-5").count == 1)
    }

    @Test func unreachableDevice_showsHeld_thenPrintsOnceBack() async throws {
        let rig = try await Rig()
        defer { rig.runner.cancel() }
        try rig.cupsd.setFault(.unreachable, on: "labels")
        try await rig.spooler.print(Self.zpl, labelID: "L-6", format: .zpl, printer: "labels")
        let held = try await rig.wait("L-6", .held)
        #expect(held.reason?.contains("cannot reach printer") == true)
        try rig.cupsd.setFault(nil, on: "labels")
        _ = try await rig.wait("L-6", .printed)
        #expect(rig.cupsd.captured("L-6").count == 1)
    }

    @Test func stoppedCupsd_holdsTheLabel_thenPrintsOnceItIsBack() async throws {
        let rig = try await Rig()
        defer { rig.runner.cancel() }
        rig.cupsd.stop()
        let held = try await rig.spooler.print(Self.zpl, labelID: "L-7", format: .zpl, printer: "labels")
        #expect(held.state == .held && held.reason?.contains("cupsd is running") == true)
        try await rig.cupsd.start()
        _ = try await rig.wait("L-7", .printed)
        #expect(rig.cupsd.captured("L-7").count == 1)
    }

    @Test func reprint_needsAReason_andPrintsAnotherRecordedCopy() async throws {
        let rig = try await Rig()
        defer { rig.runner.cancel() }
        try await rig.spooler.print(Self.zpl, labelID: "L-8", format: .zpl, printer: "labels")
        await #expect(throws: PrintError.self) { try await rig.spooler.reprint(labelID: "L-8", reason: "  ") }
        let again = try await rig.spooler.reprint(labelID: "L-8", reason: "label smudged")
        #expect(again.labelID == "L-8-R1" && again.reprintOf == "L-8" && again.reprintReason == "label smudged")
        _ = try await rig.wait("L-8-R1", .printed)
        #expect(rig.cupsd.captured("L-8-R1") == [Self.zpl])
        await #expect(throws: PrintError.self) { try await rig.spooler.print(Self.zpl, labelID: "L-8", format: .zpl, printer: "labels") }
    }
}

/// A job ledger in memory that keeps every saved version (for tests of WaybillPrint alone).
actor MemoryLedger: PrintJobLedger {
    private(set) var jobs: [String: PrintJobRecord] = [:]
    private(set) var history: [PrintJobRecord] = []
    /// How many calls inserted records (one commit each in a database).
    private(set) var insertCommits = 0

    func insert(_ job: PrintJobRecord) throws(PrintError) {
        try insert([job])
    }

    func insert(_ jobs: [PrintJobRecord]) throws(PrintError) {
        guard jobs.allSatisfy({ self.jobs[$0.labelID] == nil }) else {
            throw PrintError(.ledger, printer: nil, "duplicate in \(jobs.map(\.labelID))")
        }
        if let withdrawn = jobs.first(where: { $0.reprintOf == nil && withdrawnDocuments.contains($0.labelID) }) {
            throw PrintError(.withdrawn, printer: nil, "label \(withdrawn.labelID) was replaced before its print job was recorded")
        }
        insertCommits += 1
        for job in jobs {
            self.jobs[job.labelID] = job
            history.append(job)
        }
    }

    func save(_ job: PrintJobRecord) throws(PrintError) {
        // As the store does: a withdrawal is the conflict rules' to record, never the spooler's to clear.
        var saved = job
        saved.withdrawal = jobs[job.labelID]?.withdrawal ?? job.withdrawal
        jobs[job.labelID] = saved
        history.append(saved)
    }

    /// Documents replaced or voided before their jobs were recorded: the store refuses their jobs.
    private var withdrawnDocuments: Set<String> = []

    /// Replaces document `labelID` before its job is recorded, as the sync does when an address
    /// change arrives while the document is being spooled.
    func withdrawDocument(_ labelID: String) {
        withdrawnDocuments.insert(labelID)
    }

    /// Records the conflict rules' withdrawal of a job, as the store does for an intercept or a relabel.
    func withdraw(_ labelID: String, reason: String) {
        jobs[labelID]?.withdrawal = reason
    }

    func job(labelID: String) -> PrintJobRecord? { jobs[labelID] }

    /// How often the spooler read its open jobs and found none.
    private(set) var emptyReads = 0

    func openJobs() -> [PrintJobRecord] {
        let open = jobs.values.filter(\.isOpen).sorted { $0.createdAt < $1.createdAt }
        if open.isEmpty { emptyReads += 1 }
        return open
    }
}

extension Array where Element: Sendable {
    func asyncMap<T>(_ transform: (Element) async -> T) async -> [T] {
        var result: [T] = []
        for element in self { result.append(await transform(element)) }
        return result
    }
}
