/// Which of an order's print jobs that have not printed a conflict rule withdraws.
public enum PrintWithdrawal: Sendable, Hashable {
    /// None: the parcel goes on as planned.
    case none
    /// Every one, and the box labels and packing slips are issued again (a relabel): the voided
    /// carrier labels and the documents showing the old address must not print; new carrier labels
    /// are bought and new documents printed from the new address, so the parcel can still ship.
    case reissue
    /// Every one (an intercept, a resplit, an order taken by another station): the parcel does not
    /// ship as planned.
    case all
}
