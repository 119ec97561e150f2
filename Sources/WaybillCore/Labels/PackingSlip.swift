/// The packing slip of one box: what is in it, for the document printer.
public struct PackingSlip: Sendable, Hashable, Codable {
    /// One line of the slip.
    public struct Line: Sendable, Hashable, Codable {
        public var sku: String
        public var description: String
        public var quantity: Int

        public init(sku: String, description: String, quantity: Int) {
            self.sku = sku
            self.description = description
            self.quantity = quantity
        }
    }

    /// The slip's id (CUPS job name, spool file name).
    public var id: BarcodeID
    public var shipTo: LabelAddress
    public var orderReference: String
    public var boxNumber: Int
    public var boxCount: Int
    public var boxID: BarcodeID
    public var lines: [Line]

    public init(
        id: BarcodeID,
        shipTo: LabelAddress,
        orderReference: String,
        boxNumber: Int,
        boxCount: Int,
        boxID: BarcodeID,
        lines: [Line]
    ) {
        self.id = id
        self.shipTo = shipTo
        self.orderReference = orderReference
        self.boxNumber = boxNumber
        self.boxCount = boxCount
        self.boxID = boxID
        self.lines = lines
    }
}
