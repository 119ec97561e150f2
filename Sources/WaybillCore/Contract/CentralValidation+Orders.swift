extension CentralValidation {
    /// Why a decoded order breaks the contract's rules on its identifiers and numbers, or nil: its id
    /// (the change's `id`, when given), each line's `line_no` (in range, once), `quantity` and `sku`,
    /// and each zone.
    ///
    /// The feed parser applies the same rules as it reads an order's bytes (a resync holds too many
    /// orders to decode each); this is their typed form, for rows already in the replica (an older
    /// build's, or a damaged file's). The feed fuzz test holds the two to each other: every order the
    /// parser lets in passes this.
    public static func orderProblem(_ order: CentralAPI.OrderData, id: String? = nil) -> String? {
        if let mismatch = mismatch(order.id, id) { return mismatch }
        if let invalid = CentralIdentifier.problem(order.id) { return "its id \(invalid)" }
        var lineNumbers = Set<Int>()
        for line in order.lines {
            if let outside = outside(line.lineNo, CentralLimits.lineNumber, "an order line's line_no") { return outside }
            guard lineNumbers.insert(line.lineNo).inserted else { return "an order's line_no \(line.lineNo) appears twice" }
            if let outside = outside(line.quantity, CentralLimits.quantity, "an order line's quantity") { return outside }
            if let invalid = CentralIdentifier.problem(line.sku) { return "an order line's sku \(invalid)" }
        }
        for zone in order.zones.values.sorted() {
            if let outside = outside(zone, CentralLimits.zone, "zone") { return outside }
        }
        return nil
    }
}
