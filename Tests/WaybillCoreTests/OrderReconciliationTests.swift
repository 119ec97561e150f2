import Testing
import WaybillCore

/// The conflict rules, checked over every combination of local state and central facts.
@Suite struct OrderReconciliationTests {
    static let stations: [String?] = [nil, "me", "other"]

    /// Every (local, central) situation the rules can meet.
    static var situations: [(OrderState, CentralOrderFacts, Int)] {
        var result: [(OrderState, CentralOrderFacts, Int)] = []
        for local in OrderState.allCases {
            for central in OrderState.allCases {
                for station in stations {
                    for claimer in stations {
                        for edited in [false, true] {
                            for linesChanged in [false, true] {
                                let facts = CentralOrderFacts(
                                    state: central,
                                    stationID: station,
                                    claimedBy: claimer,
                                    contentVersion: edited ? 5 : 1,
                                    linesChanged: linesChanged
                                )
                                result.append((local, facts, 1))
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    @Test func statesNeverMoveBackwardsUnlessAnotherStationOwnsTheOrder() {
        for (local, central, previous) in Self.situations {
            let decision = OrderReconciliation.reconcile(local: local, previousContentVersion: previous, central: central, station: "me")
            if decision.conflict == .superseded || (central.stationID == "other" || central.claimedBy == "other") { continue }
            #expect(
                decision.effectiveState == local || local.canTransition(to: decision.effectiveState),
                "\(local) -> \(decision.effectiveState) for central \(central)"
            )
        }
    }

    @Test func cancellationAlwaysWins_beforeShipping_andInterceptsPhysicalWork() {
        for (local, central, previous) in Self.situations where central.state == .cancelled && local != .cancelled {
            let decision = OrderReconciliation.reconcile(local: local, previousContentVersion: previous, central: central, station: "me")
            if local == .shipped {
                #expect(decision.effectiveState == .shipped)
                #expect(decision.conflict == .intercept)
            } else {
                #expect(decision.effectiveState == .cancelled)
            }
            if local == .packed || local == .labelled {
                #expect(decision.conflict == .intercept)
                #expect(decision.withdraw == .all)
                #expect(decision.voidLabel == (local == .labelled))
            }
        }
    }

    @Test func everyConflictThatNeedsAPerson_comesFromLocalWork() {
        for (local, central, previous) in Self.situations {
            let decision = OrderReconciliation.reconcile(local: local, previousContentVersion: previous, central: central, station: "me")
            if let rule = decision.conflict, rule.needsPerson {
                #expect([.packed, .labelled, .shipped].contains(local), "\(rule) raised for local \(local)")
            }
            if decision.voidLabel { #expect(local == .labelled) }
        }
    }

    @Test func addressEditAfterLabelling_isARelabel_linesEditAfterPacking_isAResplit() {
        let address = CentralOrderFacts(state: .claimed, stationID: "me", claimedBy: "me", contentVersion: 5)
        let relabel = OrderReconciliation.reconcile(local: .labelled, previousContentVersion: 1, central: address, station: "me")
        #expect(relabel.conflict == .relabel)
        #expect(relabel.withdraw == .reissue, "the box labels and slips are issued again from the new address, or the order could never ship")
        #expect(relabel.voidLabel)
        // Packed, with no carrier label yet: the documents are issued again, nobody needs to decide.
        let packed = OrderReconciliation.reconcile(local: .packed, previousContentVersion: 1, central: address, station: "me")
        #expect(packed.conflict == nil)
        #expect(packed.withdraw == .reissue)
        #expect(packed.effectiveState == .packed)
        #expect(!packed.voidLabel)
        let lines = CentralOrderFacts(state: .claimed, stationID: "me", claimedBy: "me", contentVersion: 5, linesChanged: true)
        #expect(OrderReconciliation.reconcile(local: .packed, previousContentVersion: 1, central: lines, station: "me").conflict == .resplit)
        // Before packing an edit is simply taken.
        #expect(OrderReconciliation.reconcile(local: .claimed, previousContentVersion: 1, central: lines, station: "me").conflict == nil)
    }

    @Test func ownChangesComingBack_keepTheFurthestState() {
        let echo = CentralOrderFacts(state: .claimed, stationID: "me", claimedBy: "me", contentVersion: 1)
        #expect(
            OrderReconciliation.reconcile(local: .labelled, previousContentVersion: 1, central: echo, station: "me")
                == Reconciliation(effectiveState: .labelled)
        )
        #expect(OrderReconciliation.reconcile(local: nil, previousContentVersion: nil, central: echo, station: "me").effectiveState == .claimed)
    }

    @Test func claimedElsewhere_supersedesLocalWork() {
        let other = CentralOrderFacts(state: .claimed, stationID: nil, claimedBy: "other", contentVersion: 1)
        let decision = OrderReconciliation.reconcile(local: .claimed, previousContentVersion: 1, central: other, station: "me")
        #expect(decision.conflict == .superseded)
        #expect(!ConflictRule.superseded.needsPerson)
        #expect(OrderReconciliation.reconcile(local: .assigned, previousContentVersion: 1, central: other, station: "me").conflict == nil)
    }
}
