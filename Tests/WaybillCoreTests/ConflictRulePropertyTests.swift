import PropertyBased
import Testing
import WaybillCore

/// Properties of the conflict rules on random situations (the exhaustive table is in OrderReconciliationTests).
@Suite struct ConflictRulePropertyTests {
    static let owner = Gen.element(of: [String?.none, "me", "other"]).map { $0 ?? nil }
    static let facts = zip(Gen<OrderState>.case, owner, owner, Gen.int(in: 1...5), Gen.bool).map { state, station, claimer, version, lines in
        CentralOrderFacts(state: state, stationID: station, claimedBy: claimer, contentVersion: version, linesChanged: lines)
    }

    @Test func aCentralCancellationIsAlwaysTaken_unlessTheParcelShipped() async {
        await propertyCheck(input: Gen<OrderState>.case, Self.facts, Gen.int(in: 1...5)) { local, central, previous in
            guard central.state == .cancelled else { return }
            let decision = OrderReconciliation.reconcile(local: local, previousContentVersion: previous, central: central, station: "me")
            #expect(decision.effectiveState == (local == .shipped ? .shipped : .cancelled))
        }
    }

    @Test func onlyPhysicalWorkRaisesConflictsForAPerson_andOnlyLabelsAreVoided() async {
        await propertyCheck(input: Gen<OrderState>.case.optional, Self.facts, Gen.int(in: 1...5)) { local, central, previous in
            let decision = OrderReconciliation.reconcile(local: local, previousContentVersion: previous, central: central, station: "me")
            if decision.conflict?.needsPerson == true { #expect([.packed, .labelled, .shipped].contains(local)) }
            if decision.voidLabel { #expect(local == .labelled) }
            if local == nil { #expect(decision == Reconciliation(effectiveState: central.state)) }
        }
    }

    @Test func statesOnlyMoveForward_whileTheOrderStaysOurs() async {
        await propertyCheck(input: Gen<OrderState>.case, Self.facts, Gen.int(in: 1...5)) { local, central, previous in
            guard central.stationID != "other", central.claimedBy != "other" else { return }
            let decision = OrderReconciliation.reconcile(local: local, previousContentVersion: previous, central: central, station: "me")
            #expect(decision.effectiveState == local || local.canTransition(to: decision.effectiveState))
        }
    }
}
