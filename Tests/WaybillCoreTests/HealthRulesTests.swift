import Foundation
import Testing
import WaybillCore

/// The health model's rules: every kind of problem appears from its fact and clears when the fact
/// is gone; each says what it blocks and what to do; the ledger dates problems from when they were
/// first seen and forgets the cleared.
@Suite struct HealthRulesTests {
    /// A station with nothing wrong: synced, online, a roomy disk.
    static var healthy: HealthFacts {
        var facts = HealthFacts()
        facts.connectivity = "online"
        facts.disks = [DiskSpace(role: "database", path: "/var/lib/waybill", freeBytes: 20 << 30, totalBytes: 32 << 30)]
        return facts
    }

    /// Each kind with the fact that raises it.
    static let cases: [(HealthProblem.Kind, @Sendable (inout HealthFacts) -> Void)] = [
        (.diskFull, { $0.disks = [DiskSpace(role: "spool", path: "/var/spool/waybill", freeBytes: 4096, totalBytes: 64 << 20)] }),
        (.diskLow, { $0.disks = [DiskSpace(role: "database", path: "/var/lib/waybill", freeBytes: 50 << 20, totalBytes: 32 << 30)] }),
        (
            .databaseWritesFailing,
            { $0.writeFailure = .init(since: Date(timeIntervalSince1970: 1_800_000_000), message: "SQLite error 13: database or disk is full") }
        ),
        (.syncOff, { $0.syncOff = "the station secret /etc/waybill/station.secret does not exist; put it there (mode 0600) and restart" }),
        (.syncStalled, { $0.syncStalledFor = .seconds(400) }),
        (.neverSynced, { $0.connectivity = nil }),
        (
            .centralUnreachable,
            {
                $0.connectivity = "offline"; $0.lastErrorCode = "transport"
            }
        ),
        (
            .centralFailing,
            {
                $0.connectivity = "degraded"; $0.lastErrorCode = "httpStatus"; $0.lastError = "httpStatus: /v1/ops answered 503"
            }
        ),
        (
            .centralAuthRefused,
            {
                $0.connectivity = "degraded"; $0.lastErrorCode = "authentication"
            }
        ),
        (
            .centralRefusing,
            {
                $0.connectivity = "degraded"; $0.lastErrorCode = "refused"; $0.lastError = "refused: /v1/changes answered 400 invalid_request"
            }
        ),
        (.feedBlocked, { $0.feedBlocked = "at cursor 1.40: the page fails its checksum" }),
        (.outboxNotDraining, { $0.oldestPendingAge = 900 }),
        (.refusedOperations, { $0.deadLetters = 2 }),
        (.conflictsOpen, { $0.conflictsOpen = 1 }),
        (.quarantinedChanges, { $0.quarantined = 3 }),
        (
            .printerFault,
            { $0.printerFaults = [.init(role: "label", name: "zebra", message: "out of labels: load labels, then run cupsenable zebra")] }
        ),
        (.labelsHeld, { $0.heldLabels = [.init(labelID: "BX-O-1-1", reason: "the queue is paused")] }),
        (.printJobsFailed, { $0.failedPrintJobs = 1 }),
        (.clockSkew, { $0.clockSkew = -125 }),
        (.scaleDisconnected, { $0.scaleSilent = ("/dev/ttyUSB0", "no answer for 3 s") }),
    ]

    @Test func aHealthyStation_hasNoProblem() {
        #expect(HealthRules.problems(Self.healthy).isEmpty)
    }

    @Test func everyKind_appearsFromItsFact_saysWhatItBlocksAndWhatToDo_andClearsWhenTheFactIsGone() {
        #expect(Set(Self.cases.map(\.0)) == Set(HealthProblem.Kind.allCases), "a case for every kind")
        var ledger = HealthLedger()
        _ = ledger.update(HealthRules.problems(Self.healthy), now: Date(timeIntervalSince1970: 1_800_000_000))
        for (index, (kind, raise)) in Self.cases.enumerated() {
            var facts = Self.healthy
            raise(&facts)
            let problems = HealthRules.problems(facts)
            #expect(problems.map(\.kind) == [kind], "\(kind): \(problems.map(\.kind))")
            let problem = problems.first
            #expect(problem.map { !$0.cause.isEmpty && !$0.blocks.isEmpty && !$0.action.isEmpty } == true, "\(kind)")
            let seen = Date(timeIntervalSince1970: 1_800_000_000 + Double(index) * 10)
            let appeared = ledger.update(problems, now: seen)
            #expect(appeared.appeared.map(\.kind) == [kind])
            #expect(appeared.problems.first?.since != nil, "\(kind) is dated")
            let cleared = ledger.update(HealthRules.problems(Self.healthy), now: seen.addingTimeInterval(5))
            #expect(cleared.problems.isEmpty && cleared.cleared.count == 1, "\(kind) clears")
        }
    }

    @Test func theWordsPeopleAndScriptsRelyOn() {
        func sentence(_ raise: (inout HealthFacts) -> Void) -> String {
            var facts = Self.healthy
            raise(&facts)
            return HealthRules.problems(facts).first?.sentence ?? ""
        }
        let since = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(
            sentence {
                $0.connectivity = "offline"; $0.offlineSince = since
            }.hasPrefix("offline since 2027-01-15T08:00:00Z: ")
        )
        #expect(sentence { $0.connectivity = nil }.hasPrefix("never synced: "))
        #expect(sentence { $0.feedBlocked = "at cursor 1.40: bad checksum" }.hasPrefix("feed blocked at cursor 1.40: bad checksum: "))
        #expect(sentence { $0.clockSkew = -125 }.contains("125 s behind the central API's") == true)
        #expect(sentence { $0.clockSkew = 60.5 }.isEmpty, "within a minute (and the second an HTTP date loses)")
        #expect(sentence { $0.conflictsOpen = 2 }.hasPrefix("2 conflicts need a person: "))
        #expect(sentence { $0.deadLetters = 0 }.isEmpty, "a dead letter a person resolved no longer counts")
    }

    @Test func diskLevels_nearlyFullBefore100MiBOr5Percent_fullBelow1MiB() {
        func level(_ free: UInt64, of total: UInt64) -> DiskSpace.Level {
            DiskSpace(role: "database", path: "/", freeBytes: free, totalBytes: total).level
        }
        #expect(level(200 << 20, of: 2 << 30) == .ok)
        #expect(level(99 << 20, of: 2 << 30) == .low)
        #expect(level(4 << 30, of: 100 << 30) == .low, "4 % of a large disk")
        #expect(level(512 << 10, of: 2 << 30) == .full)
        #expect(level(0, of: 0) == .full)
    }

    @Test func theLedger_keepsTheFirstSightingAndTheFactsOwnTime() {
        var ledger = HealthLedger()
        var facts = Self.healthy
        facts.conflictsOpen = 1
        let first = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(ledger.update(HealthRules.problems(facts), now: first).problems.first?.since == first)
        facts.conflictsOpen = 2
        let later = ledger.update(HealthRules.problems(facts), now: first.addingTimeInterval(60))
        #expect(later.problems.first?.since == first && later.appeared.isEmpty, "the count moved; the problem is the same")
        facts = Self.healthy
        facts.connectivity = "offline"
        facts.offlineSince = first.addingTimeInterval(-300)
        let offline = ledger.update(HealthRules.problems(facts), now: first.addingTimeInterval(120))
        #expect(offline.problems.first?.since == first.addingTimeInterval(-300), "the engine knows when it went offline")
        #expect(offline.cleared == ["conflicts_open"])
    }
}
