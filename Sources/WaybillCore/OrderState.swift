/// Where an order stands in its one-way life at a packing station.
///
/// States only move forward: `assigned → claimed → packed → labelled → shipped`.
/// An order can be `cancelled` from any state before `shipped`; `shipped` and `cancelled` are final.
public enum OrderState: String, Sendable, Hashable, CaseIterable, Codable {
    case assigned
    case claimed
    case packed
    case labelled
    case shipped
    case cancelled

    /// The position of the state on the forward path; `cancelled` sits outside it.
    private var rank: Int? {
        switch self {
        case .assigned: 0
        case .claimed: 1
        case .packed: 2
        case .labelled: 3
        case .shipped: 4
        case .cancelled: nil
        }
    }

    /// Whether no further transition is possible.
    public var isFinal: Bool { self == .shipped || self == .cancelled }

    /// Whether an order may move from this state to `next`.
    ///
    /// Forward moves may skip steps (a station that packs and labels in one go goes `claimed → labelled`),
    /// never go back, and never leave a final state. Staying in the same state is not a transition.
    public func canTransition(to next: OrderState) -> Bool {
        guard !isFinal, next != self else { return false }
        if next == .cancelled { return true }
        guard let from = rank, let to = next.rank else { return false }
        return to > from
    }

    /// Whether an operation of `kind` may move an order in this state: each step of the path
    /// (claim, pack, label, ship) only from the step before it.
    public func accepts(_ kind: OperationKind) -> Bool {
        switch kind {
        case .claim: self == .assigned
        case .pack: self == .claimed
        case .labelRequest: self == .packed
        case .ship: self == .labelled
        case .weigh, .verify, .printed, .reprint, .voidLabel, .stockDelta, .resolveConflict: !isFinal || self == .shipped
        }
    }

    /// Returns `next` when the transition is allowed.
    ///
    /// - Throws: ``OrderTransitionError`` naming both states when it is not.
    public func transition(to next: OrderState) throws(OrderTransitionError) -> OrderState {
        guard canTransition(to: next) else { throw OrderTransitionError(from: self, to: next) }
        return next
    }
}

/// An order was asked to move backwards, out of a final state, or to the state it is already in.
public struct OrderTransitionError: Error, Sendable, Equatable, CustomStringConvertible {
    public let from: OrderState
    public let to: OrderState

    public init(from: OrderState, to: OrderState) {
        self.from = from
        self.to = to
    }

    public var description: String {
        "an order cannot move from \(from.rawValue) to \(to.rawValue); order states only move forward"
    }
}
