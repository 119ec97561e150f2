/// Renders the 4x6 in ``ShippingLabel`` and the per-box ``PackingSlip`` as PDF, for printers that do
/// not speak ZPL and for the document printer.
public enum PDFLabelRenderer {
    /// 4 x 6 in, in points.
    public static let labelSize = (width: 288.0, height: 432.0)
    /// A4, in points.
    public static let slipSize = (width: 595.0, height: 842.0)
    /// Slip lines per page.
    static let linesPerPage = 38

    /// The label as a one-page PDF, its text in `fonts` (embedded; Helvetica without them).
    public static func render(_ label: ShippingLabel, fonts: UnicodeFonts? = nil) -> [UInt8] {
        var document = PDFDocument(fonts: fonts)
        document.addPage(width: labelSize.width, height: labelSize.height) { page in
            page.text(label.shipFrom.name, x: 12, y: 414, size: 8, bold: true, maxCharacters: 40)
            for (index, line) in label.shipFrom.printedLines.prefix(3).enumerated() {
                page.text(line, x: 12, y: 404 - Double(index) * 9, size: 7, maxCharacters: 60)
            }
            page.rectangle(x: 0, y: 372, width: labelSize.width, height: 1)
            page.text("SHIP TO", x: 12, y: 360, size: 8, bold: true)
            page.text(label.shipTo.name, x: 12, y: 344, size: 14, bold: true, maxCharacters: 30)
            for (index, line) in label.shipTo.printedLines.prefix(4).enumerated() {
                page.text(line, x: 12, y: 328 - Double(index) * 13, size: 11, maxCharacters: 40)
            }
            page.rectangle(x: 0, y: 266, width: labelSize.width, height: 1)
            page.text(label.service, x: 12, y: 250, size: 11, bold: true, maxCharacters: 30)
            page.text(label.weightText, x: 200, y: 250, size: 11)
            page.text(label.boxText, x: 12, y: 234, size: 11, bold: true)
            page.text("ORDER " + label.orderReference, x: 12, y: 218, size: 9, maxCharacters: 46)
            page.rectangle(x: 0, y: 208, width: labelSize.width, height: 1)
            let main = label.tracking ?? label.id
            drawBarcode(main, in: &page, x: 12, y: 120, width: 264, height: 72)
            page.text(main.rawValue, x: 12, y: 108, size: 9)
            drawBarcode(label.boxID, in: &page, x: 12, y: 40, width: 200, height: 48)
            page.text(label.boxID.rawValue, x: 12, y: 28, size: 8)
            page.text(label.id.rawValue, x: 12, y: 10, size: 6)
        }
        return document.bytes()
    }

    /// The packing slip: a header, then its lines, as many A4 pages as they need; its text in
    /// `fonts` (embedded; Helvetica without them).
    public static func render(_ slip: PackingSlip, fonts: UnicodeFonts? = nil) -> [UInt8] {
        var document = PDFDocument(fonts: fonts)
        let chunks = stride(from: 0, to: max(slip.lines.count, 1), by: linesPerPage).map {
            Array(slip.lines[min($0, slip.lines.count)..<min($0 + linesPerPage, slip.lines.count)])
        }
        for (pageIndex, lines) in chunks.enumerated() {
            document.addPage(width: slipSize.width, height: slipSize.height) { page in
                page.text("PACKING SLIP", x: 40, y: 800, size: 16, bold: true)
                page.text("ORDER " + slip.orderReference, x: 40, y: 780, size: 11, maxCharacters: 60)
                page.text(
                    "BOX \(slip.boxNumber) OF \(slip.boxCount)   PAGE \(pageIndex + 1) OF \(chunks.count)",
                    x: 400,
                    y: 800,
                    size: 10
                )
                page.text(slip.shipTo.name, x: 40, y: 760, size: 11, bold: true, maxCharacters: 50)
                for (index, line) in slip.shipTo.printedLines.prefix(4).enumerated() {
                    page.text(line, x: 40, y: 746 - Double(index) * 13, size: 10, maxCharacters: 60)
                }
                drawBarcode(slip.boxID, in: &page, x: 400, y: 720, width: 160, height: 36)
                page.rectangle(x: 40, y: 680, width: 515, height: 1)
                page.text("QTY", x: 40, y: 664, size: 10, bold: true)
                page.text("SKU", x: 90, y: 664, size: 10, bold: true)
                page.text("DESCRIPTION", x: 220, y: 664, size: 10, bold: true)
                for (index, line) in lines.enumerated() {
                    let y = 646 - Double(index) * 16
                    page.text("\(line.quantity)", x: 40, y: y, size: 10)
                    page.text(line.sku, x: 90, y: y, size: 10, maxCharacters: 20)
                    page.text(line.description, x: 220, y: y, size: 10, maxCharacters: 55)
                }
            }
        }
        return document.bytes()
    }

    /// Draws `id` as Code 128 bars scaled to fit `width`, with a module at most 1.5 pt.
    static func drawBarcode(_ id: BarcodeID, in page: inout PDFDocument.Page, x: Double, y: Double, width: Double, height: Double) {
        let modules = Code128.modules(for: id)
        let module = min(1.5, width / Double(modules.reduce(0, +)))
        var cursor = x
        for (index, count) in modules.enumerated() {
            let barWidth = Double(count) * module
            if index % 2 == 0 { page.rectangle(x: cursor, y: y, width: barWidth, height: height) }
            cursor += barWidth
        }
    }
}
