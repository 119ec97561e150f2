import WaybillCore
import WaybillStore

/// An order at the bench as data (`GET /station/orders/ORDER` with `Accept: application/json`):
/// the plan box by box, what is counted, and the barcodes that count each SKU.
struct PackState: Encodable {
    struct Item: Encodable {
        let sku: String
        let name: String
        let expected: Int
        let counted: Int
        let barcodes: [CentralAPI.SKUBarcode]
    }

    struct Box: Encodable {
        let number: Int
        let boxID: String
        let open: Bool
        let complete: Bool
        let expectedLb: Double
        /// The latest weight, when weighed, and whether it lets the labels print.
        let weighedLb: Double?
        let weightAccepted: Bool
        /// Print state of the box's documents by kind (`box`, `slip`, `carrier`).
        let documents: [String: String]
        let items: [Item]
    }

    let orderID: String
    let state: String
    let openBox: Int?
    let complete: Bool
    let boxes: [Box]

    init(session: PackSession) {
        let verification = session.verification
        orderID = session.order.id
        state = session.state.rawValue
        let openIndex = verification.openBoxIndex
        openBox = openIndex.map { verification.boxes[$0].number }
        complete = verification.isComplete
        boxes = verification.boxes.enumerated().map { index, box in
            Box(
                number: box.number,
                boxID: box.boxID,
                open: index == openIndex,
                complete: box.isComplete,
                expectedLb: session.shipment.boxes.first { $0.boxNo == box.number }?.grossLb ?? 0,
                weighedLb: session.weights[box.number]?.measuredLb,
                weightAccepted: session.weights[box.number]?.accepted ?? false,
                documents: session.documents[box.number] ?? [:],
                items: box.expected.keys.sorted().map { sku in
                    Item(
                        sku: sku,
                        name: verification.names[sku] ?? sku,
                        expected: box.expected[sku, default: 0],
                        counted: box.counted[sku, default: 0],
                        barcodes: session.skus[sku]?.barcodes ?? []
                    )
                }
            )
        }
    }
}
