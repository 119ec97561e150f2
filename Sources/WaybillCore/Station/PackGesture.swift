/// What a packer did at the bench for one order: a scan, or an item confirmed by hand because its
/// barcode would not read. Gestures are recorded as they happen; replaying them through
/// ``PackVerification`` gives back the same state.
public enum PackGesture: Sendable, Hashable, Codable {
    /// A barcode as the scanner typed it.
    case scan(String)
    /// One unit of a SKU confirmed by hand, recorded as such.
    case byHand(sku: String)

    /// How a gesture is named in records and operations: `scan` or `hand`.
    public var kind: String {
        switch self {
        case .scan: "scan"
        case .byHand: "hand"
        }
    }

    /// The scanned code, or the SKU confirmed by hand.
    public var text: String {
        switch self {
        case .scan(let code): code
        case .byHand(let sku): sku
        }
    }
}

/// What one gesture did: counted units into the open box, or was refused with a reason a packer
/// can act on. Nothing is ever swallowed: every gesture has an outcome.
public enum PackOutcome: Sendable, Hashable {
    /// `units` of `sku` counted into box `box`; `boxClosed` when that was the box's last unit,
    /// `orderComplete` when it was the order's.
    case counted(sku: String, units: Int, box: Int, boxClosed: Bool, orderComplete: Bool)
    case refused(PackRefusal)

    public var isAccepted: Bool {
        if case .counted = self { return true }
        return false
    }

    /// The SKU counted, or refused when one was recognised.
    public var sku: String? {
        switch self {
        case .counted(let sku, _, _, _, _): sku
        case .refused(.notInOrder(let sku)), .refused(.otherBox(let sku, _, _)), .refused(.tooMany(let sku)),
            .refused(.caseTooLarge(let sku, _, _)), .refused(.weighFirst(let sku, _)):
            sku
        case .refused: nil
        }
    }

    /// Units counted (0 when refused).
    public var units: Int {
        if case .counted(_, let units, _, _, _) = self { return units }
        return 0
    }

    /// The outcome's name in records: `counted`, `box_closed`, `order_complete` or the refusal's code.
    public var code: String {
        switch self {
        case .counted(_, _, _, let closed, let complete): complete ? "order_complete" : closed ? "box_closed" : "counted"
        case .refused(let refusal): refusal.code
        }
    }
}

/// Why a gesture was refused.
public enum PackRefusal: Sendable, Hashable {
    /// The scan held nothing, or characters no barcode has.
    case unreadable
    /// No SKU has this barcode.
    case unknownBarcode(String)
    /// The SKU is real but not in this order.
    case notInOrder(sku: String)
    /// The SKU belongs in another box than the open one.
    case otherBox(sku: String, box: Int, open: Int)
    /// Every unit of the SKU is already counted: one too many.
    case tooMany(sku: String)
    /// A case barcode counts more units than the open box still needs.
    case caseTooLarge(sku: String, units: Int, needed: Int)
    /// Every box of the order is already verified.
    case orderComplete
    /// The item is for a later box, but an earlier complete box has not been weighed (closed) yet.
    case weighFirst(sku: String, box: Int)

    /// A stable code for records, operations and the page.
    public var code: String {
        switch self {
        case .unreadable: "unreadable"
        case .unknownBarcode: "unknown_barcode"
        case .notInOrder: "not_in_order"
        case .otherBox: "other_box"
        case .tooMany: "too_many"
        case .caseTooLarge: "case_too_large"
        case .orderComplete: "already_verified"
        case .weighFirst: "weigh_first"
        }
    }
}
