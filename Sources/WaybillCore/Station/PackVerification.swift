/// The pack-and-verify rules of one order at the bench: every unit is scanned into the box the plan
/// put it in, box by box.
///
/// The open box is the lowest-numbered box that still misses units. A scan counts when its SKU is
/// still missing from the open box (a case barcode counts its units, if the box needs that many);
/// an unknown barcode, a SKU the order lacks, a SKU of another box and one unit too many are refused
/// with a message that says what to do. A box closes on its last unit; the order is verified when
/// every box is. The state is a function of the gestures: replaying recorded gestures gives it back.
public struct PackVerification: Sendable, Hashable {
    /// One box of the plan and what has been counted into it.
    public struct Box: Sendable, Hashable {
        public let number: Int
        public let boxID: String
        /// Units expected, by SKU.
        public let expected: [String: Int]
        /// Units counted so far, by SKU.
        public internal(set) var counted: [String: Int] = [:]

        /// Units still missing, by SKU (SKUs complete are absent).
        public var missing: [String: Int] {
            expected.reduce(into: [:]) { missing, entry in
                let left = entry.value - counted[entry.key, default: 0]
                if left > 0 { missing[entry.key] = left }
            }
        }

        public var expectedUnits: Int { expected.values.reduce(0, +) }
        public var countedUnits: Int { counted.values.reduce(0, +) }
        public var isComplete: Bool { countedUnits >= expectedUnits }
    }

    /// A box of the stored plan: its number, box type and the planner's item ids (`<line>-<unit>`).
    public struct PlannedContents: Sendable, Hashable {
        public let number: Int
        public let boxID: String
        public let itemIDs: [String]

        public init(number: Int, boxID: String, itemIDs: [String]) {
            self.number = number
            self.boxID = boxID
            self.itemIDs = itemIDs
        }
    }

    /// What a barcode stands for.
    struct Match: Sendable, Hashable {
        let sku: String
        let units: Int
    }

    public private(set) var boxes: [Box]
    /// Boxes weighed and accepted at the bench: closed. With ``closesBoxes``, a complete box stays the
    /// packer's box until it is closed, so a unit too many after its last one is refused there
    /// instead of counting towards the next box (which may hold the same SKU).
    public var closedBoxes: Set<Int> = []
    /// Whether a complete box must be closed (weighed) before the next box's units count.
    public var closesBoxes = false
    /// SKU names, for messages.
    public private(set) var names: [String: String] = [:]
    private(set) var barcodes: [String: Match] = [:]

    /// The verification of an order's plan.
    ///
    /// - Parameters:
    ///   - order: the order, whose lines map the planner's item ids to SKUs.
    ///   - boxes: the stored plan, box by box.
    ///   - skus: the SKUs of the replica; their barcodes are what a scan may match, and a SKU's id
    ///     also matches (for items labelled with a Code 128 of the SKU).
    public init(order: CentralAPI.OrderData, boxes: [PlannedContents], skus: [String: CentralAPI.SKUData]) {
        let skuByLine = Dictionary(order.lines.map { ($0.lineNo, $0.sku) }, uniquingKeysWith: { first, _ in first })
        self.boxes = boxes.sorted { $0.number < $1.number }.map { planned in
            var expected: [String: Int] = [:]
            for item in planned.itemIDs {
                guard let line = item.split(separator: "-").first.flatMap({ Int($0) }), let sku = skuByLine[line] else { continue }
                expected[sku, default: 0] += 1
            }
            return Box(number: planned.number, boxID: planned.boxID, expected: expected)
        }
        for sku in skus.values.sorted(by: { $0.id < $1.id }) { learn(sku) }
    }

    /// Whether a scanned code matches a SKU this verification knows.
    public func knows(_ code: String) -> Bool { barcodes[Self.key(code.trimmingWhitespace)] != nil }

    /// Adds a SKU outside the order (found by its barcode), so a scan of it is named as a wrong item
    /// rather than an unknown barcode.
    public mutating func learn(_ sku: CentralAPI.SKUData) {
        names[sku.id] = sku.name
        barcodes[sku.id] = barcodes[sku.id] ?? Match(sku: sku.id, units: 1)
        for barcode in sku.barcodes { barcodes[Self.key(barcode.code)] = Match(sku: sku.id, units: barcode.units) }
    }

    /// The index of the open box: the first that misses units; nil when the order is verified.
    public var openBoxIndex: Int? { boxes.firstIndex { !$0.isComplete } }

    /// Whether every box is verified.
    public var isComplete: Bool { openBoxIndex == nil }

    /// Applies one gesture and says what it did.
    @discardableResult
    public mutating func apply(_ gesture: PackGesture) -> PackOutcome {
        switch gesture {
        case .scan(let raw):
            let code = raw.trimmingWhitespace
            guard !code.isEmpty, code.utf8.count <= 64, code.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }) else {
                return .refused(.unreadable)
            }
            guard let match = barcodes[Self.key(code)] else { return .refused(.unknownBarcode(code)) }
            return count(match)
        case .byHand(let sku):
            guard names[sku] != nil || boxes.contains(where: { $0.expected[sku] != nil }) else { return .refused(.unknownBarcode(sku)) }
            return count(Match(sku: sku, units: 1))
        }
    }

    /// Counts what a recorded gesture counted, as it was recorded: replaying history never judges
    /// it again by today's rules.
    public mutating func replay(sku: String, units: Int, box: Int) {
        guard let index = boxes.firstIndex(where: { $0.number == box }) else { return }
        boxes[index].counted[sku, default: 0] += units
    }

    /// The complete box before the open one that still waits to be weighed, when boxes must close.
    var unclosedBoxIndex: Int? {
        guard closesBoxes else { return nil }
        let end = openBoxIndex ?? boxes.count
        return boxes[..<end].firstIndex { !closedBoxes.contains($0.number) }
    }

    private mutating func count(_ match: Match) -> PackOutcome {
        if let waiting = unclosedBoxIndex, openBoxIndex != nil, boxes.contains(where: { $0.expected[match.sku] != nil }) {
            let box = boxes[waiting]
            if box.expected[match.sku] != nil, boxes[waiting...].allSatisfy({ $0.missing[match.sku, default: 0] == 0 }) {
                return .refused(.tooMany(sku: match.sku))
            }
            return .refused(.weighFirst(sku: match.sku, box: box.number))
        }
        guard let open = openBoxIndex else { return .refused(.orderComplete) }
        let needed = boxes[open].missing[match.sku, default: 0]
        if needed == 0 {
            if !boxes.contains(where: { $0.expected[match.sku] != nil }) { return .refused(.notInOrder(sku: match.sku)) }
            if let other = boxes.first(where: { $0.missing[match.sku, default: 0] > 0 }) {
                return .refused(.otherBox(sku: match.sku, box: other.number, open: boxes[open].number))
            }
            return .refused(.tooMany(sku: match.sku))
        }
        guard match.units <= needed else { return .refused(.caseTooLarge(sku: match.sku, units: match.units, needed: needed)) }
        boxes[open].counted[match.sku, default: 0] += match.units
        return .counted(
            sku: match.sku,
            units: match.units,
            box: boxes[open].number,
            boxClosed: boxes[open].isComplete,
            orderComplete: isComplete
        )
    }

    /// What a packer reads after a gesture: one sentence that says what happened and what to do.
    public func message(for outcome: PackOutcome) -> String {
        func item(_ sku: String) -> String { names[sku].map { "\(sku) (\($0))" } ?? sku }
        switch outcome {
        case .counted(let sku, let units, let box, let closed, let complete):
            let counted = units == 1 ? "\(item(sku)) counted in box \(box)." : "\(units) × \(item(sku)) counted in box \(box)."
            if complete { return counted + " Every box is verified." }
            if closed, let next = openBoxIndex {
                return counted
                    + (closesBoxes
                        ? " Box \(box) is complete: weigh it to close it, then start box \(boxes[next].number)."
                        : " Box \(box) is complete: close it and open box \(boxes[next].number).")
            }
            return counted
        case .refused(.unreadable):
            return "That scan could not be read. Scan again, or confirm the item by hand."
        case .refused(.unknownBarcode(let code)):
            return "Unknown barcode \(code): no item has it. Check the item; if its barcode will not read, confirm it by hand."
        case .refused(.notInOrder(let sku)):
            return "Wrong item: \(item(sku)) is not in this order. Put it back."
        case .refused(.otherBox(let sku, let box, let open)):
            return "\(item(sku)) goes in box \(box), not box \(open). Finish box \(open) first."
        case .refused(.tooMany(let sku)):
            return "One too many: every unit of \(item(sku)) is already counted. Take it out."
        case .refused(.caseTooLarge(let sku, let units, let needed)):
            return "This case holds \(units) × \(item(sku)), but the box needs only \(needed) more. Scan single units."
        case .refused(.orderComplete):
            return "Every box of this order is already verified."
        case .refused(.weighFirst(let sku, let box)):
            return "Box \(box) is complete but not weighed: put \(item(sku)) aside, weigh and close box \(box) first."
        }
    }

    /// A barcode's lookup key: numeric GTINs by their 14-digit form (a UPC-A scanned as EAN-13, with
    /// a leading 0, is the same item), anything else as it is.
    static func key(_ code: String) -> String {
        guard GTIN.isValid(code) else { return code }
        return String(repeating: "0", count: 14 - code.utf8.count) + code
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs, CR and LF (what a wedge scanner adds).
    var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        return String(self.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
