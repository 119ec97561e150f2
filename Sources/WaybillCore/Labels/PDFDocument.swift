/// A minimal PDF 1.4 writer: pages of text and filled rectangles, enough for labels and packing
/// slips. Coordinates are points from the page's bottom-left corner.
///
/// With ``PDFFonts`` the text is shown in them, each face embedded as the subset of glyphs the
/// document uses (a Type 0 font over a CIDFontType2, with a ToUnicode map so the text can be
/// searched and copied); every string is written as glyph numbers in hex, so no customer text can
/// end it and run PDF operators. Without fonts it is shown in the standard Helvetica, escaped by
/// ``PDFText/escape(_:maxCharacters:)``. ``bytes()`` writes a correct cross-reference table so
/// viewers and `pdftoppm` open the file without repairing it.
public struct PDFDocument: Sendable {
    /// One page's size and what is drawn on it.
    public struct Page: Sendable {
        public let width: Double
        public let height: Double
        var marks: [Mark] = []

        enum Mark: Sendable {
            case text(String, x: Double, y: Double, size: Double, bold: Bool)
            case rectangle(x: Double, y: Double, width: Double, height: Double)
        }

        /// Draws `text` (customer text is fine: it is capped, and written so it cannot end its
        /// string) with its baseline at `x`, `y`.
        public mutating func text(_ text: String, x: Double, y: Double, size: Double, bold: Bool = false, maxCharacters: Int = 80) {
            marks.append(.text(PDFText.visible(text, maxCharacters: maxCharacters), x: x, y: y, size: size, bold: bold))
        }

        /// Fills a black rectangle.
        public mutating func rectangle(x: Double, y: Double, width: Double, height: Double) {
            marks.append(.rectangle(x: x, y: y, width: width, height: height))
        }
    }

    public private(set) var pages: [Page] = []
    let fonts: PDFFonts?

    /// A document whose text is shown in `fonts` (embedded), or in Helvetica without them.
    public init(fonts: PDFFonts? = nil) {
        self.fonts = fonts
    }

    /// Adds a page of `width` x `height` points and lets `draw` fill it.
    public mutating func addPage(width: Double, height: Double, _ draw: (inout Page) -> Void) {
        var page = Page(width: width, height: height)
        draw(&page)
        pages.append(page)
    }

    /// The file's bytes.
    public func bytes() -> [UInt8] {
        let faces = fonts.map { fonts in
            [EmbeddedFace(font: fonts.regular, pages: pages, bold: false), EmbeddedFace(font: fonts.bold, pages: pages, bold: true)]
        }
        var objects: [[UInt8]] = []
        let pageIDs = pages.indices.map { 5 + 2 * $0 }
        let firstFontObject = 5 + 2 * pages.count
        objects.append(Array("<< /Type /Catalog /Pages 2 0 R >>".utf8))
        objects.append(Array("<< /Type /Pages /Kids [\(pageIDs.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(pages.count) >>".utf8))
        if let faces {
            objects.append(faces[0].type0(firstObject: firstFontObject))
            objects.append(faces[1].type0(firstObject: firstFontObject + EmbeddedFace.objectCount))
        } else {
            objects.append(Array("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".utf8))
            objects.append(Array("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>".utf8))
        }
        for (index, page) in pages.enumerated() {
            objects.append(
                Array(
                    ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(Int(page.width)) \(Int(page.height))] "
                        + "/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents \(pageIDs[index] + 1) 0 R >>").utf8
                )
            )
            let content = Array(Self.content(of: page, faces: faces).utf8)
            objects.append(PDFStream.object(content))
        }
        for (index, face) in (faces ?? []).enumerated() {
            objects += face.objects(firstObject: firstFontObject + index * EmbeddedFace.objectCount)
        }
        var output: [UInt8] = Array("%PDF-1.4\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A]
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(output.count)
            output += Array("\(index + 1) 0 obj\n".utf8) + object + Array("\nendobj\n".utf8)
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

    /// A page's drawing operators.
    private static func content(of page: Page, faces: [EmbeddedFace]?) -> String {
        var content = ""
        for mark in page.marks {
            switch mark {
            case .text(let text, let x, let y, let size, let bold):
                let shown = faces.map { "<\($0[bold ? 1 : 0].hex(text))>" } ?? "(\(PDFText.escape(text, maxCharacters: .max)))"
                content += "BT /\(bold ? "F2" : "F1") \(number(size)) Tf \(number(x)) \(number(y)) Td \(shown) Tj ET\n"
            case .rectangle(let x, let y, let width, let height):
                content += "\(number(x)) \(number(y)) \(number(width)) \(number(height)) re f\n"
            }
        }
        return content
    }

    static func number(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

/// A stream object's bytes.
enum PDFStream {
    static func object(_ data: [UInt8], extra: String = "") -> [UInt8] {
        Array("<< /Length \(data.count)\(extra) >>\nstream\n".utf8) + data + Array("\nendstream".utf8)
    }
}
