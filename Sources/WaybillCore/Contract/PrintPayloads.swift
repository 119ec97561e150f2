extension CentralAPI {
    /// The payload of a `printed` operation: a label or slip of the order came out of a printer.
    public struct PrintedPayload: OperationPayload {
        public var labelID: String
        /// `box` (a box label) or `slip` (the packing slip).
        public var kind: String
        /// The box the label is for; nil for a slip.
        public var boxNo: Int?
        /// The CUPS queue it printed on.
        public var printer: String

        public init(labelID: String, kind: String, boxNo: Int?, printer: String) {
            self.labelID = labelID
            self.kind = kind
            self.boxNo = boxNo
            self.printer = printer
        }

        enum CodingKeys: String, CodingKey {
            case labelID = "label_id"
            case kind
            case boxNo = "box_no"
            case printer
        }
    }

    /// The payload of a `reprint` operation: a person asked for a label or slip again, and why.
    public struct ReprintPayload: OperationPayload {
        /// The new print job's label id.
        public var labelID: String
        /// The label printed before.
        public var reprintOf: String
        public var boxNo: Int?
        public var reason: String

        public init(labelID: String, reprintOf: String, boxNo: Int?, reason: String) {
            self.labelID = labelID
            self.reprintOf = reprintOf
            self.boxNo = boxNo
            self.reason = reason
        }

        enum CodingKeys: String, CodingKey {
            case labelID = "label_id"
            case reprintOf = "reprint_of"
            case boxNo = "box_no"
            case reason
        }
    }
}
