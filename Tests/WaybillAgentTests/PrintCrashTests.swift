import Foundation
import Glibc
import Testing
import WaybillCore
import WaybillStore
import WaybillTestSupport

/// SIGKILL the printing process at random points while it prints 200 labels, restart it each time:
/// every label is printed exactly once and every print is recorded.
@Suite(.serialized, .timeLimit(.minutes(5))) struct PrintCrashTests {
    @Test func sigkillWhilePrinting_everyLabelPrintsExactlyOnce() async throws {
        let cupsd = try await PrivateCupsd()
        try cupsd.addQueue("labels")
        let fixture = try ConfigFixture(extra: "cups:\n  server: \(cupsd.server)\nprinters:\n  label: labels\n")
        let count = 200
        let arguments = [WaybillBinary.path, "labels", "drill", "--count", "\(count)", "--config", fixture.configPath]
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        for _ in 0..<10 {
            let pid = try ChildProcess.spawn(arguments, logPath: fixture.folder.file("drill.log"))
            // A random point in the run (a random kill time, not a synchronisation wait).
            usleep(UInt32.random(in: 20_000...250_000, using: &generator))  // an uninterrupted run of 200 labels can end within 0.5 s
            if ChildProcess.hasExited(pid) { break }
            kill(pid, SIGKILL)
            ChildProcess.wait(pid)
            kills += 1
        }
        let final = try ChildProcess.spawn(arguments, logPath: fixture.folder.file("drill.log"))
        #expect(ChildProcess.wait(final) == 0, "\((try? String(contentsOfFile: fixture.folder.file("drill.log"), encoding: .utf8)) ?? "")")

        let store = try WaybillStore.open(atPath: fixture.folder.file("db/waybill.sqlite"))
        #expect(try store.openPrintJobs().isEmpty)
        let captures = Dictionary(grouping: cupsd.capturedFiles(), by: \.name)
        for index in 0..<count {
            let labelID = "DRILL-\(index)"
            #expect(captures[labelID]?.count == 1, "\(labelID) printed \(captures[labelID]?.count ?? 0) times after \(kills) kills")
            let job = try #require(try store.printJob(labelID: labelID))
            #expect(job.state == .printed && job.cupsJobID == captures[labelID]?.first?.jobID)
        }
        #expect(captures.count == count)
        #expect(kills >= 3, "the run should be killed a few times mid-way")
        let adopted = try store.recentPrintJobs(limit: count).filter { $0.reason?.contains("not sent again") == true }.count
        print("print crash test: \(kills) SIGKILLs, \(adopted) labels found in CUPS after a kill instead of being sent again")
    }
}
