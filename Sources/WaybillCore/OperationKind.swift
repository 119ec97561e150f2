/// The kinds of local change a station records in its outbound operation log.
///
/// The raw values are the `type` strings of the central API's `POST /v1/ops`.
public enum OperationKind: String, Sendable, Hashable, CaseIterable, Codable {
    case claim
    case pack
    case weigh
    /// A packer's gesture at the bench (a scan or a hand confirmation) and its outcome: recorded,
    /// never moves the order.
    case verify
    case labelRequest = "label_request"
    case printed
    case reprint
    case ship
    case voidLabel = "void_label"
    case stockDelta = "stock_delta"
    case resolveConflict = "resolve_conflict"

    /// The order state an operation of this kind moves its order to, if it moves one.
    public var resultingOrderState: OrderState? {
        switch self {
        case .claim: .claimed
        case .pack: .packed
        case .labelRequest: .labelled
        case .ship: .shipped
        case .weigh, .verify, .printed, .reprint, .voidLabel, .stockDelta, .resolveConflict: nil
        }
    }
}
