import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillTestSupport

/// The shift report's figures that come from the station's own records, not from orders.
@Suite struct ShiftReportStoreTests {
    /// Back online: `offline_since` cleared.
    static let online: [SyncStateKey: String?] = [.offlineSince: nil]

    @Test func minutesOffline_countSpellsInsideThePeriod_andTheOneStillOpen() throws {
        let (folder, store) = try WaybillStore.fixture()
        defer { withExtendedLifetime(folder) {} }
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let period = ShiftPeriod(start: start, end: start.addingTimeInterval(8 * 3600))
        // 30 min offline before the period, ending 10 min into it; 20 min in the middle; then
        // offline for the last 15 min, still offline when the report is read.
        try store.recordSyncState([.offlineSince: String(start.addingTimeInterval(-1200).timeIntervalSince1970)])
        try store.recordSyncState(Self.online, now: start.addingTimeInterval(600))
        try store.recordSyncState([.offlineSince: String(start.addingTimeInterval(3600).timeIntervalSince1970)])
        try store.recordSyncState(Self.online, now: start.addingTimeInterval(3600 + 1200))
        try store.recordSyncState([.offlineSince: String(period.end.addingTimeInterval(-900).timeIntervalSince1970)])
        let report = try store.shiftReport(stationID: "station-1", period: period, now: period.end.addingTimeInterval(600))
        #expect(report.minutesOffline == 10 + 20 + 15)
        #expect(report.ordersPacked == 0 && report.orders.isEmpty)
    }

    @Test func anOutageThatFlapsBetweenOfflineAndDegraded_countsFromItsStart() throws {
        let (folder, store) = try WaybillStore.fixture()
        defer { withExtendedLifetime(folder) {} }
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        try store.recordSyncState([.offlineSince: String(start.timeIntervalSince1970)], now: start)
        // Degraded half an hour later (the sync engine writes a new start): the outage's start stays.
        try store.recordSyncState([.offlineSince: String(start.addingTimeInterval(1800).timeIntervalSince1970)], now: start.addingTimeInterval(1800))
        try store.recordSyncState(Self.online, now: start.addingTimeInterval(3600))
        let period = ShiftPeriod(start: start, end: start.addingTimeInterval(8 * 3600))
        #expect(try store.shiftReport(stationID: "station-1", period: period, now: period.end).minutesOffline == 60)
    }
}
