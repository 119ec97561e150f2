import Testing
import WaybillCore

/// What a person reads about each conflict an order can raise: what happened centrally, what the
/// station had done, what to do.
@Suite struct ConflictWordingTests {
    static let elsewhere = CentralOrderFacts(state: .claimed, stationID: "station-2", claimedBy: "station-2", contentVersion: 0, linesChanged: false)

    @Test func eachRule_saysWhatHappenedAndWhatToDo() {
        #expect(
            ConflictRule.intercept.reason(local: .labelled, central: Self.elsewhere)
                == "cancelled centrally while labelled here: stop the parcel, void its label"
        )
        #expect(ConflictRule.cancelledBeforePacking.reason(local: nil, central: Self.elsewhere).contains("while unseen here"))
        #expect(ConflictRule.relabel.reason(local: .labelled, central: Self.elsewhere).contains("box labels and slips on the parcel"))
        #expect(ConflictRule.resplit.reason(local: .packed, central: Self.elsewhere).contains("plan the boxes again"))
        #expect(
            ConflictRule.superseded.reason(local: .claimed, central: Self.elsewhere) == "now claimed by station-2; local work (claimed) superseded"
        )
        let reassigned = CentralOrderFacts(state: .assigned, stationID: "station-3", claimedBy: nil, contentVersion: 0, linesChanged: false)
        #expect(ConflictRule.superseded.reason(local: .packed, central: reassigned) == "now assigned to station-3; local work (packed) superseded")
    }
}
