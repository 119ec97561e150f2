import Foundation
import Testing
import WaybillCore
import WaybillTestSupport

/// The PDFs open in poppler (what `waybill labels preview` and CUPS filters use), hostile text included.
@Suite(.timeLimit(.minutes(2))) struct PopplerTests {
    static let available = FileManager.default.isExecutableFile(atPath: "/usr/bin/pdfinfo")

    @Test(.enabled(if: available)) func labelsAndSlips_parseInPoppler_whateverTheText() throws {
        let folder = try TemporaryDirectory()
        let samples = [nil, ") Tj ET", "\\", "李小龙", String(repeating: "(", count: 10_000)] + HostileStrings.all.filter { $0.contains(")") }
        for (index, text) in samples.enumerated() {
            let label = folder.file("label-\(index).pdf")
            try Data(PDFLabelRenderer.render(CupsFixtures.label(text ?? "Ada Lovelace"))).write(to: URL(fileURLWithPath: label))
            let info = try ChildProcess.run(["pdfinfo", label])
            #expect(!info.contains("Error"), "poppler had to repair it: \(info)")
            #expect(info.split(separator: "\n").contains { $0.hasPrefix("Pages:") && $0.hasSuffix(" 1") })
        }
        let slip = folder.file("slip.pdf")
        let lines = (0..<60).map { PackingSlip.Line(sku: "SKU-\($0)", description: ") Tj ET \($0)", quantity: 1) }
        let packing = CupsFixtures.slip(lines)
        try Data(PDFLabelRenderer.render(packing)).write(to: URL(fileURLWithPath: slip))
        let output = try ChildProcess.run(["pdftoppm", "-r", "50", "-png", slip, folder.file("slip")])
        #expect(!output.contains("Error"), "poppler had to repair it: \(output)")
        #expect(FileManager.default.fileExists(atPath: folder.file("slip-2.png")))
    }
}
