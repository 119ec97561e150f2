/// The central fields of an order that the conflict rules look at.
public struct CentralOrderFacts: Sendable, Hashable {
    /// The central state as text; `nil` when it is not a state this station knows.
    public var state: OrderState
    public var stationID: String?
    public var claimedBy: String?
    public var contentVersion: Int
    /// Whether the lines (not only the address) changed at the last central edit; the caller
    /// compares old and new lines.
    public var linesChanged: Bool

    public init(state: OrderState, stationID: String?, claimedBy: String?, contentVersion: Int, linesChanged: Bool = false) {
        self.state = state
        self.stationID = stationID
        self.claimedBy = claimedBy
        self.contentVersion = contentVersion
        self.linesChanged = linesChanged
    }
}

/// What the station does with a newer central copy of an order.
public struct Reconciliation: Sendable, Hashable {
    /// The state the station shows and works from.
    public var effectiveState: OrderState
    /// The rule that applied, when central and local work collided.
    public var conflict: ConflictRule?
    /// Queue a `void_label` operation for the order's label.
    public var voidLabel: Bool
    /// Which of the order's print jobs that have not printed are withdrawn.
    public var withdraw: PrintWithdrawal

    public init(effectiveState: OrderState, conflict: ConflictRule? = nil, voidLabel: Bool = false, withdraw: PrintWithdrawal = .none) {
        self.effectiveState = effectiveState
        self.conflict = conflict
        self.voidLabel = voidLabel
        self.withdraw = withdraw
    }
}

/// Reconciles central changes with local work, rule by rule. Pure: no I/O, no clock.
public enum OrderReconciliation {
    /// Decides the effective state and any conflict when a newer central copy arrives.
    ///
    /// - Parameters:
    ///   - local: the station's effective state before the change (nil: the station never saw the order).
    ///   - previousContentVersion: the content version the station last saw (nil: never saw it).
    ///   - central: the new central copy.
    ///   - station: this station's id.
    public static func reconcile(
        local: OrderState?,
        previousContentVersion: Int?,
        central: CentralOrderFacts,
        station: String
    ) -> Reconciliation {
        guard let local else { return Reconciliation(effectiveState: central.state) }
        let workedOn = local != .assigned && local != .cancelled
        // Cancellation is the center's.
        if central.state == .cancelled, local != .cancelled {
            if local == .shipped { return Reconciliation(effectiveState: .shipped, conflict: .intercept) }
            if local == .packed || local == .labelled {
                return Reconciliation(effectiveState: .cancelled, conflict: .intercept, voidLabel: local == .labelled, withdraw: .all)
            }
            return Reconciliation(effectiveState: .cancelled, conflict: workedOn ? .cancelledBeforePacking : nil)
        }
        // Another station owns it now.
        let ownedElsewhere = (central.stationID != nil && central.stationID != station) || (central.claimedBy != nil && central.claimedBy != station)
        if ownedElsewhere {
            return Reconciliation(
                effectiveState: central.state,
                conflict: workedOn ? .superseded : nil,
                voidLabel: local == .labelled,
                withdraw: workedOn ? .all : .none
            )
        }
        // The center edited address or lines after the station's work built on them.
        if let previous = previousContentVersion, central.contentVersion > previous, local != .shipped {
            if central.linesChanged, local == .packed || local == .labelled {
                return Reconciliation(effectiveState: local, conflict: .resplit, voidLabel: local == .labelled, withdraw: .all)
            }
            if local == .labelled {
                return Reconciliation(effectiveState: local, conflict: .relabel, voidLabel: true, withdraw: .reissue)
            }
            if local == .packed {
                // No carrier label yet: only the box labels and slips printed so far show the old
                // address; they are issued again, and nothing waits for a person.
                return Reconciliation(effectiveState: furthest(local, central.state), withdraw: .reissue)
            }
        }
        // Otherwise states only move forward: keep whichever of local and central is further along.
        return Reconciliation(effectiveState: furthest(local, central.state))
    }

    /// The state further along the one-way path (cancelled and shipped are final).
    public static func furthest(_ a: OrderState, _ b: OrderState) -> OrderState {
        if a.isFinal { return a }
        if b.isFinal { return b }
        return a.canTransition(to: b) ? b : a
    }
}
