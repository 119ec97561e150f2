/// One box's shipping label: what both renderers (``ZPLRenderer``, ``PDFLabelRenderer``) draw on a 4x6 in label.
///
/// Text fields come from customers and carriers and are escaped by the renderers; the barcodes only
/// carry ``BarcodeID``s Waybill generated.
public struct ShippingLabel: Sendable, Hashable, Codable {
    /// The label's id, also the CUPS job name and the spool file name.
    public var id: BarcodeID
    public var shipFrom: LabelAddress
    public var shipTo: LabelAddress
    /// The carrier service, such as "Ground" or "Express 12:00".
    public var service: String
    public var weightGrams: Int
    /// This box's number, from 1.
    public var boxNumber: Int
    public var boxCount: Int
    /// The customer's order reference (free text).
    public var orderReference: String
    /// The carrier tracking number, when the label is a carrier label.
    public var tracking: BarcodeID?
    /// The box's id, printed as the second barcode.
    public var boxID: BarcodeID

    public init(
        id: BarcodeID,
        shipFrom: LabelAddress,
        shipTo: LabelAddress,
        service: String,
        weightGrams: Int,
        boxNumber: Int,
        boxCount: Int,
        orderReference: String,
        tracking: BarcodeID?,
        boxID: BarcodeID
    ) {
        self.id = id
        self.shipFrom = shipFrom
        self.shipTo = shipTo
        self.service = service
        self.weightGrams = weightGrams
        self.boxNumber = boxNumber
        self.boxCount = boxCount
        self.orderReference = orderReference
        self.tracking = tracking
        self.boxID = boxID
    }

    /// "1.25 kg": the weight, generated text.
    public var weightText: String {
        let grams = max(0, weightGrams)
        let hundredths = (grams % 1000) / 10
        return "\(grams / 1000).\(hundredths < 10 ? "0" : "")\(hundredths) kg"
    }

    /// "BOX 2 OF 3": generated text.
    public var boxText: String { "BOX \(max(0, boxNumber)) OF \(max(0, boxCount))" }
}
