import Testing
import WaybillCore

@Suite struct OrderStateTests {
    @Test func forwardPath_allowsEachNextStepAndSkips() {
        #expect(OrderState.assigned.canTransition(to: .claimed))
        #expect(OrderState.claimed.canTransition(to: .packed))
        #expect(OrderState.packed.canTransition(to: .labelled))
        #expect(OrderState.labelled.canTransition(to: .shipped))
        #expect(OrderState.claimed.canTransition(to: .labelled))
    }

    @Test func backwardsAndSameState_areRefused() {
        #expect(!OrderState.packed.canTransition(to: .claimed))
        #expect(!OrderState.labelled.canTransition(to: .assigned))
        for state in OrderState.allCases {
            #expect(!state.canTransition(to: state))
        }
    }

    @Test func cancellation_isAllowedFromEveryStateBeforeShipped() {
        for state in OrderState.allCases where !state.isFinal {
            #expect(state.canTransition(to: .cancelled))
        }
        #expect(!OrderState.shipped.canTransition(to: .cancelled))
    }

    @Test func finalStates_haveNoWayOut() {
        for target in OrderState.allCases {
            #expect(!OrderState.shipped.canTransition(to: target))
            #expect(!OrderState.cancelled.canTransition(to: target))
        }
    }

    @Test func transition_throwsNamingBothStates() {
        #expect(throws: OrderTransitionError(from: .shipped, to: .packed)) {
            try OrderState.shipped.transition(to: .packed)
        }
        #expect("\(OrderTransitionError(from: .shipped, to: .packed))".contains("shipped to packed"))
    }

    /// Every pair: a transition is allowed exactly when it goes forward on the path, or to cancelled
    /// from a non-final state.
    @Test(arguments: OrderState.allCases)
    func transitionTable_matchesTheOneWayRule(from: OrderState) {
        let path: [OrderState] = [.assigned, .claimed, .packed, .labelled, .shipped]
        for to in OrderState.allCases {
            let expected: Bool
            if from.isFinal || from == to {
                expected = false
            } else if to == .cancelled {
                expected = true
            } else {
                expected = path.firstIndex(of: to)! > path.firstIndex(of: from)!
            }
            #expect(from.canTransition(to: to) == expected, "\(from) -> \(to)")
        }
    }
}
