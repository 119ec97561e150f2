import ArgumentParser
import Foundation
import WaybillCore
import WaybillStore

extension WaybillCommand.Labels {
    /// `waybill labels preview LABEL_ID --png FILE`: the label as the printer will print it, as PNG.
    ///
    /// A ZPL label's customer text is in graphic fields, drawn here dot for dot as the printer burns
    /// them; its words and numbers in the printer's resident font are drawn in DejaVu Sans. A PDF
    /// label or slip is rendered by `pdftoppm` at the printers' 203 dpi.
    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a PNG of a label as the printer will print it (ZPL: its pictures dot for dot; PDF: pdftoppm at 203 dpi)."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The label id.") var labelID: String
        @Option(help: "The PNG file to write.") var png: String

        func run() async throws {
            let configuration = try await global.loadConfiguration()
            guard let job = try WaybillStore.open(atPath: configuration.storePath).printJob(labelID: labelID) else {
                throw ValidationError("no label \(labelID); see `waybill labels list`")
            }
            let prefix = png.hasSuffix(".png") ? String(png.dropLast(4)) : png
            if job.format == .zpl {
                guard let zpl = FileManager.default.contents(atPath: job.spoolPath) else {
                    throw ValidationError("cannot read \(job.spoolPath), the label's spooled bytes")
                }
                let picture = ZPLPreview.render(Array(zpl), fonts: LabelFonts.shared)
                guard FileManager.default.createFile(atPath: prefix + ".png", contents: Data(PNGImage.encode(picture))) else {
                    throw ValidationError("cannot write \(prefix).png")
                }
                return try report(prefix + ".png")
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftoppm")
            process.arguments = ["-r", "203", "-png", "-singlefile", job.spoolPath, prefix]
            do {
                try process.run()
            } catch {
                throw ValidationError("cannot run pdftoppm (install poppler-utils): \(error.localizedDescription)")
            }
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw ValidationError("pdftoppm failed on \(job.spoolPath)") }
            try report(prefix + ".png")
        }

        private func report(_ path: String) throws {
            if global.json {
                try CommandJSON.print(object: ["label_id": labelID, "png": path])
            } else {
                print("wrote \(path)")
            }
        }
    }
}
