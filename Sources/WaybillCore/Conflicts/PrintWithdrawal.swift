/// Which of an order's print jobs that have not printed a conflict rule withdraws.
public enum PrintWithdrawal: Sendable, Hashable {
    /// None: the parcel goes on as planned.
    case none
    /// The carrier labels' only (a relabel): the voided labels must not print, and new ones are
    /// bought; the box labels and packing slips stay the parcel's, or the order could never ship.
    case carrierLabels
    /// Every one (an intercept, a resplit, an order taken by another station): the parcel does not
    /// ship as planned.
    case all
}
