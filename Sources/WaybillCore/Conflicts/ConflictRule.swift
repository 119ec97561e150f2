/// The explicit rules that decide what happens when central changes meet local work.
///
/// Field ownership: the center owns customer, address, lines and cancellation; the station owns the
/// claim, the box split, weights, labels and print state. Order states only move forward.
public enum ConflictRule: String, Sendable, Hashable, CaseIterable, Codable {
    /// Cancelled centrally after the station packed or labelled it: void the label, hold its print
    /// jobs and stop the parcel. Needs a person.
    case intercept
    /// Cancelled centrally before any packing: nothing physical happened; the order just leaves the queue.
    case cancelledBeforePacking = "cancelled_before_packing"
    /// The address changed after labelling: the labels are voided, new ones bought, and the box
    /// labels and slips issued again from the new address. Needs a person (the parcel changes).
    case relabel
    /// The lines changed after packing: the boxes must be planned again. Needs a person.
    case resplit
    /// The order was assigned to, or claimed by, another station: local work is superseded.
    case superseded
    /// The central API refused an operation (its reason is kept); the entry is dead-lettered.
    case operationRefused = "operation_refused"
    /// A stock delta took the quantity below zero: applied, and flagged.
    case stockNegative = "stock_negative"

    /// Whether a person must decide before the order can go on.
    public var needsPerson: Bool {
        switch self {
        case .intercept, .relabel, .resplit, .operationRefused: true
        case .cancelledBeforePacking, .superseded, .stockNegative: false
        }
    }
}
