import ArgumentParser
import Foundation
import WaybillStore

extension WaybillCommand.Labels {
    /// `waybill labels preview LABEL_ID --png FILE`: renders a PDF label to PNG at the printers' 203 dpi.
    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a PNG preview of a PDF label (pdftoppm at 203 dpi). ZPL labels have no preview."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The label id.") var labelID: String
        @Option(help: "The PNG file to write.") var png: String

        func run() async throws {
            let configuration = try await global.loadConfiguration()
            guard let job = try WaybillStore.open(atPath: configuration.storePath).printJob(labelID: labelID) else {
                throw ValidationError("no label \(labelID); see `waybill labels list`")
            }
            guard job.format == .pdf else {
                FileHandle.standardError.write(
                    Data(
                        ("no preview for \(labelID): it is ZPL, which only the printer renders (no Debian package turns ZPL "
                            + "into an image). Its exact bytes are in \(job.spoolPath).\n").utf8
                    )
                )
                throw ExitCode(1)
            }
            let prefix = png.hasSuffix(".png") ? String(png.dropLast(4)) : png
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
            if global.json {
                try CommandJSON.print(object: ["label_id": labelID, "png": prefix + ".png"])
            } else {
                print("wrote \(prefix).png")
            }
        }
    }
}
