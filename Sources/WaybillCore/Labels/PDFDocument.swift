/// A minimal PDF 1.4 writer: pages of text and filled rectangles, enough for labels and packing
/// slips. Coordinates are points from the page's bottom-left corner.
///
/// With ``UnicodeFonts`` the text is shown in them, each face embedded as the subset of glyphs the
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
    let fonts: UnicodeFonts?

    /// A document whose text is shown in `fonts` (embedded), or in Helvetica without them.
    public init(fonts: UnicodeFonts? = nil) {
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
        // Each face embeds the characters drawn with it; a fallback only when some text needs it.
        let faces: [(resource: Int, face: EmbeddedFace)]? = fonts.map { fonts in
            var shown = Array(repeating: [Unicode.Scalar](), count: fonts.faces.count)
            for page in pages {
                for case .text(let text, _, _, _, let bold) in page.marks {
                    for run in fonts.runs(text, bold: bold) { shown[run.face] += run.scalars }
                }
            }
            return fonts.faces.indices.filter { $0 < 2 || !shown[$0].isEmpty }.map { index in
                (index, EmbeddedFace(font: fonts.faces[index], bold: index == 1, shown: shown[index]))
            }
        }
        // A font that loaded but whose glyphs cannot be cut out (damaged outlines): the document
        // in Helvetica, which shows less, rather than with an empty font, which shows nothing.
        if let faces, faces.contains(where: { $0.face.subset == nil }) {
            var plain = PDFDocument(fonts: nil)
            plain.pages = pages
            return plain.bytes()
        }
        var objects: [[UInt8]] = []
        let pageIDs = pages.indices.map { 5 + 2 * $0 }
        // After the pages: each face's Type 0 font (F1 and F2's are objects 3 and 4), then its four others.
        var fontObjects: [Int: Int] = [1: 3, 2: 4]
        var next = 5 + 2 * pages.count
        for (resource, _) in (faces ?? []) where resource >= 2 {
            fontObjects[resource + 1] = next
            next += 1
        }
        var descendants: [Int] = []
        for _ in faces ?? [] {
            descendants.append(next)
            next += EmbeddedFace.objectCount
        }
        objects.append(Array("<< /Type /Catalog /Pages 2 0 R >>".utf8))
        objects.append(Array("<< /Type /Pages /Kids [\(pageIDs.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(pages.count) >>".utf8))
        if let faces {
            objects.append(faces[0].face.type0(firstObject: descendants[0]))
            objects.append(faces[1].face.type0(firstObject: descendants[1]))
        } else {
            objects.append(Array("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".utf8))
            objects.append(Array("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>".utf8))
        }
        let resources = fontObjects.sorted { $0.key < $1.key }.map { "/F\($0.key) \($0.value) 0 R" }.joined(separator: " ")
        for (index, page) in pages.enumerated() {
            objects.append(
                Array(
                    ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(Int(page.width)) \(Int(page.height))] "
                        + "/Resources << /Font << \(resources) >> >> /Contents \(pageIDs[index] + 1) 0 R >>").utf8
                )
            )
            objects.append(PDFStream.object(Array(content(of: page, faces: faces).utf8)))
        }
        for (position, (resource, face)) in (faces ?? []).enumerated() where resource >= 2 {
            objects.append(face.type0(firstObject: descendants[position]))
        }
        for (position, (_, face)) in (faces ?? []).enumerated() {
            objects += face.objects(firstObject: descendants[position])
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

    /// A page's drawing operators; a text in several faces is one text object, each run in its face.
    private func content(of page: Page, faces: [(resource: Int, face: EmbeddedFace)]?) -> String {
        var content = ""
        for mark in page.marks {
            switch mark {
            case .text(let text, let x, let y, let size, let bold):
                content += "BT \(Self.number(x)) \(Self.number(y)) Td"
                if let fonts, let faces {
                    for run in fonts.runs(text, bold: bold) {
                        let face = faces.first { $0.resource == run.face }!.face
                        content += " /F\(run.face + 1) \(Self.number(size)) Tf <\(face.hex(run.scalars))> Tj"
                    }
                } else {
                    content += " /\(bold ? "F2" : "F1") \(Self.number(size)) Tf (\(PDFText.escape(text, maxCharacters: .max))) Tj"
                }
                content += " ET\n"
            case .rectangle(let x, let y, let width, let height):
                content += "\(Self.number(x)) \(Self.number(y)) \(Self.number(width)) \(Self.number(height)) re f\n"
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
