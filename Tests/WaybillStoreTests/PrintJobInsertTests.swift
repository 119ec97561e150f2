import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillTestSupport

@Suite struct PrintJobInsertTests {
    static func job(_ id: String) -> PrintJobRecord {
        PrintJobRecord(labelID: id, printer: "labels", format: .zpl, spoolPath: "/spool/\(id).zpl", attempts: 1, createdAt: 1, updatedAt: 1)
    }

    @Test func severalJobs_areRecordedTogether() throws {
        let store = try WaybillStore.inMemory()
        try store.insertPrintJobs([Self.job("G-1"), Self.job("G-2"), Self.job("G-3")])
        #expect(try ["G-1", "G-2", "G-3"].map { try store.printJob(labelID: $0)?.attempts } == [1, 1, 1])
    }

    @Test func aGroupWithALabelAlreadyRecorded_recordsNone() throws {
        let store = try WaybillStore.inMemory()
        try store.insertPrintJob(Self.job("G-2"))
        #expect(throws: (any Error).self) { try store.insertPrintJobs([Self.job("G-1"), Self.job("G-2")]) }
        #expect(try store.printJob(labelID: "G-1") == nil, "all or none: one commit")
    }
}
