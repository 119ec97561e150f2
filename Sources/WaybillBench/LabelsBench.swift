import ArgumentParser
import Foundation
import WaybillAgent
import WaybillCore

/// `waybill-bench labels`: what drawing customer text into pictures costs a ZPL label, beside the
/// same label in the printer's resident font and as a PDF with the same fonts, in the same run.
struct LabelsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels",
        abstract: "Render time and size per label: ZPL with pictures of its text, ZPL in the resident font, PDF with embedded fonts."
    )

    @Option(help: "Labels per way and round.") var count = 200
    @Option(help: "Rounds the ways take turns in.") var rounds = 5

    func run() async throws {
        guard let fonts = LabelFonts.shared else {
            throw ValidationError("DejaVu Sans is missing: install fonts-dejavu-core (packaging/dev.sh does)")
        }
        let names = ["Ada Lovelace", "Петров GmbH", "Łukasz Żółć", "李小龙", "محمد علي", "Nguyễn Thị Hương"]
        let labels = (0..<count).map { index in
            var label = PrintBench.label("W-\(index)")
            label.shipTo.name = names[index % names.count]
            return label
        }
        let ways: [(name: String, render: (ShippingLabel) -> [UInt8])] = [
            ("zpl, text as pictures", { ZPLRenderer(fonts: fonts).render($0) }),
            ("zpl, resident font", { ZPLRenderer().render($0) }),
            ("pdf, embedded fonts", { PDFLabelRenderer.render($0, fonts: fonts) }),
        ]
        let clock = ContinuousClock()
        var times = Array(repeating: [Double](), count: ways.count)
        var bytes = Array(repeating: 0, count: ways.count)
        for round in 0..<rounds {
            // Each way first in turn.
            for offset in 0..<ways.count {
                let way = (round + offset) % ways.count
                var total = 0
                let elapsed = clock.measure {
                    for label in labels { total += ways[way].render(label).count }
                }
                times[way].append(elapsed.seconds / Double(count))
                bytes[way] = total / count
            }
        }
        for (index, way) in ways.enumerated() {
            print(
                String(
                    format: "%@: %.3f ms per label (median of %d rounds), %d bytes",
                    way.name,
                    Rounds.median(times[index]) * 1000,
                    rounds,
                    bytes[index]
                )
            )
        }
        let ratios = zip(times[0], times[2]).map { $0 / $1 }
        print(Rounds.ratioLine("zpl pictures / pdf", ratios, digits: 2, floor: "no floor: the cost of drawing text for a printer without the fonts"))
    }
}
