import Foundation
import WaybillCore
import WaybillStore

/// What the pack view shows of an order at the bench, ready for its template. Every string is
/// plain text: the template escapes it.
struct PackView {
    struct Row {
        let sku: String
        let name: String
        let expected: Int
        let counted: Int
        let missing: Int
        let colour: String
        let complete: Bool
    }

    struct BoxPanel {
        let number: Int
        let count: Int
        let boxID: String
        let dims: String
        let status: String
        let open: Bool
        let complete: Bool
        let counted: Int
        let expected: Int
        let rows: [Row]
        let picture: String
        /// Verified, and no accepted weight yet: the weigh form shows.
        let needsWeight: Bool
        /// Its latest weight is outside the tolerance and not overridden: the override form shows too.
        let mismatch: Bool
        /// The latest weight and its verdict, in words (empty before weighing).
        let weightText: String
        /// Where its labels are, in words (empty before they print).
        let documentsText: String
    }

    let orderID: String
    let reference: String
    let shipTo: String
    let city: String
    let state: String
    let boxCount: Int
    let openBox: Int?
    let complete: Bool
    let verifiedUnits: Int
    let totalUnits: Int
    let boxes: [BoxPanel]
    /// What happens to the order now, past packing (empty while it is packed).
    let stateText: String

    init(session: PackSession) {
        let verification = session.verification
        orderID = session.order.id
        reference = session.order.reference
        shipTo = [session.order.shipTo.name, session.order.shipTo.company].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " / ")
        city = session.order.shipTo.city
        state = session.state.rawValue
        stateText =
            switch session.state {
            case .labelled: "Carrier labels requested: each prints as it arrives."
            case .shipped: "Shipped: every label has printed."
            case .cancelled: "Cancelled: do not ship it. Put the items back."
            case .assigned, .claimed, .packed: ""
            }
        boxCount = verification.boxes.count
        let openIndex = verification.openBoxIndex
        openBox = openIndex.map { verification.boxes[$0].number }
        complete = verification.isComplete
        verifiedUnits = verification.boxes.reduce(0) { $0 + $1.countedUnits }
        totalUnits = verification.boxes.reduce(0) { $0 + $1.expectedUnits }
        let skuByLine = Dictionary(session.order.lines.map { ($0.lineNo, $0.sku) }, uniquingKeysWith: { first, _ in first })
        boxes = verification.boxes.enumerated().map { index, box in
            let planned = session.shipment.boxes.first { $0.boxNo == box.number }
            let skus = box.expected.keys.sorted()
            let colourOf = Dictionary(uniqueKeysWithValues: skus.enumerated().map { ($1, $0) })
            let rows = skus.map { sku in
                let expected = box.expected[sku, default: 0]
                let counted = box.counted[sku, default: 0]
                return Row(
                    sku: sku,
                    name: verification.names[sku] ?? sku,
                    expected: expected,
                    counted: counted,
                    missing: max(0, expected - counted),
                    colour: BoxPicture.colour(colourOf[sku] ?? 0),
                    complete: counted >= expected
                )
            }
            let dims = planned.map { $0.outerDims.map { String(format: "%g", $0) }.joined(separator: " × ") + " in" } ?? ""
            let picture = BoxPicture.svg(inner: planned?.outerDims ?? [1, 1, 1], placements: planned?.items ?? []) { placement in
                let line = placement.id.split(separator: "-").first.flatMap { Int($0) }
                return line.flatMap { skuByLine[$0] }.flatMap { colourOf[$0] } ?? 0
            }
            let isOpen = index == openIndex
            let weight = session.weights[box.number]
            let weightText =
                weight.map {
                    let measured = String(format: "%.2f lb", $0.measuredLb) + ($0.source == "manual" ? " (typed)" : " (on the scale)")
                    let expected = String(format: "%.2f ± %.2f lb", $0.expectedLb, $0.allowedLb)
                    if $0.verdict.isWithin { return "Weighs \(measured): as expected." }
                    if let reason = $0.overrideReason { return "Weighs \(measured), expected \(expected): accepted by override (\(reason))." }
                    return "Weighs \(measured) but should weigh \(expected): check its contents and weigh again, or a supervisor overrides."
                } ?? ""
            let documents = session.documents[box.number] ?? [:]
            let documentsText = [("box", "box label"), ("slip", "packing slip"), ("carrier", "carrier label")].compactMap { kind, name in
                documents[kind].map { "\(name) \($0)" }
            }.joined(separator: " · ")
            let status: String
            if !box.isComplete {
                status = isOpen ? "open: scan its items" : "waiting"
            } else if weight?.accepted != true {
                status = "verified: weigh it"
            } else {
                status = documents.isEmpty ? "verified and weighed: labels printing" : "verified and weighed"
            }
            return BoxPanel(
                number: box.number,
                count: verification.boxes.count,
                boxID: box.boxID,
                dims: dims,
                status: status,
                open: isOpen,
                complete: box.isComplete,
                counted: box.countedUnits,
                expected: box.expectedUnits,
                rows: rows,
                picture: picture,
                needsWeight: box.isComplete && weight?.accepted != true,
                mismatch: weight.map { !$0.accepted } ?? false,
                weightText: weightText,
                documentsText: documentsText
            )
        }
    }
}
