/// A minimal PDF 1.4 writer: pages of Helvetica text and filled rectangles, enough for labels and
/// packing slips. Coordinates are points from the page's bottom-left corner.
///
/// Text passes through ``PDFText/escape(_:maxCharacters:)``; ``bytes()`` writes a correct cross-reference
/// table so viewers and `pdftoppm` open the file without repairing it.
public struct PDFDocument: Sendable {
    /// One page's size and drawing operators.
    public struct Page: Sendable {
        public let width: Double
        public let height: Double
        var content = ""

        /// Draws `text` (customer text is fine: it is escaped and capped) with its baseline at `x`, `y`.
        public mutating func text(_ text: String, x: Double, y: Double, size: Double, bold: Bool = false, maxCharacters: Int = 80) {
            let font = bold ? "F2" : "F1"
            let escaped = PDFText.escape(text, maxCharacters: maxCharacters)
            content += "BT /\(font) \(number(size)) Tf \(number(x)) \(number(y)) Td (\(escaped)) Tj ET\n"
        }

        /// Fills a black rectangle.
        public mutating func rectangle(x: Double, y: Double, width: Double, height: Double) {
            content += "\(number(x)) \(number(y)) \(number(width)) \(number(height)) re f\n"
        }

        private func number(_ value: Double) -> String {
            let hundredths = Int((value * 100).rounded())
            let sign = hundredths < 0 ? "-" : ""
            let magnitude = abs(hundredths)
            let fraction = magnitude % 100
            return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
        }
    }

    public private(set) var pages: [Page] = []

    public init() {}

    /// Adds a page of `width` x `height` points and lets `draw` fill it.
    public mutating func addPage(width: Double, height: Double, _ draw: (inout Page) -> Void) {
        var page = Page(width: width, height: height)
        draw(&page)
        pages.append(page)
    }

    /// The file's bytes.
    public func bytes() -> [UInt8] {
        var objects: [String] = []
        let pageIDs = pages.indices.map { 5 + 2 * $0 }
        objects.append("<< /Type /Catalog /Pages 2 0 R >>")
        objects.append("<< /Type /Pages /Kids [\(pageIDs.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(pages.count) >>")
        objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
        for (index, page) in pages.enumerated() {
            objects.append(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(Int(page.width)) \(Int(page.height))] "
                    + "/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents \(pageIDs[index] + 1) 0 R >>"
            )
            objects.append("<< /Length \(page.content.utf8.count) >>\nstream\n\(page.content)endstream")
        }
        var output: [UInt8] = Array("%PDF-1.4\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A]
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(output.count)
            output += Array("\(index + 1) 0 obj\n\(object)\nendobj\n".utf8)
        }
        let xref = output.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets {
            let digits = String(offset)
            table += String(repeating: "0", count: 10 - digits.count) + digits + " 00000 n \n"
        }
        table += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return output + Array(table.utf8)
    }
}
