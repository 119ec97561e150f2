extension ConflictRule {
    /// What a person reads about a conflict this rule raised on an order: what happened centrally,
    /// what the station had done (`local`: the order's state here, nil when it never saw the order),
    /// and what to do.
    public func reason(local: OrderState?, central: CentralOrderFacts) -> String {
        let was = local?.rawValue ?? "unseen"
        switch self {
        case .intercept: return "cancelled centrally while \(was) here: stop the parcel, void its label"
        case .cancelledBeforePacking: return "cancelled centrally while \(was) here, before packing: nothing to undo"
        case .relabel:
            return
                "address changed centrally after labelling: the old labels are void; put the new carrier labels, box labels and slips on the parcel in place of the old ones"
        case .resplit: return "lines changed centrally after packing: plan the boxes again"
        case .superseded:
            return
                "now \(central.claimedBy.map { "claimed by \($0)" } ?? "assigned to \(central.stationID ?? "another station")"); local work (\(was)) superseded"
        case .operationRefused, .stockNegative: return rawValue
        }
    }
}
