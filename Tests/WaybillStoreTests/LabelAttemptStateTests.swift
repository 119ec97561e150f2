import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillTestSupport

/// When a purchase under a key is in doubt (the provider may be selling its label): from its deadline
/// while it is out (a process killed during it never records its end), from its end when no answer
/// came or a label came but is not stored yet, and no longer once refused or stored.
@Suite struct LabelAttemptStateTests {
    @Test func aPurchaseIsInDoubt_fromItsDeadline_thenItsEnd_untilARefusalOrAStoredLabel() throws {
        let folder = try TemporaryDirectory()
        let store = try WaybillStore.open(atPath: folder.file("station.sqlite"))
        _ = try store.identity(for: StationID(rawValue: "station-1")!)
        let sent = Date(timeIntervalSince1970: 1_000)
        #expect(try store.labelAttempt(key: "k") == nil)

        try store.beginLabelAttempt(key: "k", provider: "shipengine", orderID: "O-1", boxNo: 1, deadline: sent + 30, now: sent)
        #expect(try store.labelAttempt(key: "k").map { $0.attempts == 1 && $0.unansweredSince == sent + 30 } == true, "killed during it")
        try store.labelAttemptEnded(key: "k", answered: false, now: sent + 2)
        #expect(try store.labelAttempt(key: "k")?.unansweredSince == sent + 2, "timed out")
        try store.labelAttemptEnded(key: "k", answered: true, now: sent + 3)
        #expect(try store.labelAttempt(key: "k")?.unansweredSince == nil, "refused")

        try store.beginLabelAttempt(key: "k", provider: "shipengine", orderID: "O-1", boxNo: 1, deadline: sent + 40, now: sent + 10)
        #expect(try store.labelAttempt(key: "k").map { $0.attempts == 2 && $0.unansweredSince == sent + 40 } == true)
        let label = CentralAPI.LabelData(
            labelID: "SE-1",
            orderID: "O-1",
            boxNo: 1,
            carrier: "se-1001",
            service: "usps_priority_mail",
            trackingNumber: "9400",
            cost: 7.5,
            format: "zpl",
            zpl: "^XA^XZ"
        )
        try store.recordPurchasedLabel(label, json: "{}", key: "k", providerLabelID: "se-1", now: sent + 11)
        #expect(try store.labelAttempt(key: "k").map { $0.attempts == 2 && $0.unansweredSince == nil } == true, "stored")
    }
}
