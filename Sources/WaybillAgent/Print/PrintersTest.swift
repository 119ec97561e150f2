import ArgumentParser
import Foundation
import WaybillCore
import WaybillPrint

extension WaybillCommand.Printers {
    /// `waybill printers test NAME`: prints a test label and waits for CUPS to finish it.
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a test label on a queue and wait (up to --timeout seconds) until CUPS has printed it."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The CUPS queue.") var name: String
        @Option(help: "zpl (thermal label printers) or pdf.") var format = "zpl"
        @Option(help: "Seconds to wait for the job to complete.") var timeout = 30

        func validate() throws {
            guard LabelFormat(rawValue: format) != nil else { throw ValidationError("--format must be zpl or pdf") }
            guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        }

        func run() async throws {
            let configuration = try await global.loadConfiguration()
            let client = CupsClient(server: configuration.cupsServer)
            let labelID = "TEST-\(Int(Date().timeIntervalSince1970))"
            let label = Self.testLabel(labelID)
            let fonts = LabelFonts.shared
            let bytes = format == "pdf" ? PDFLabelRenderer.render(label, fonts: fonts) : ZPLRenderer(fonts: fonts).render(label)
            let jobID = try await client.submit(bytes, format: LabelFormat(rawValue: format)!, printer: name, jobName: labelID)
            let deadline = Date().addingTimeInterval(Double(timeout))
            var job = try await client.job(jobID)
            while job?.state.isFinal != true, Date() < deadline {
                try await Task.sleep(for: .milliseconds(200))
                job = try await client.job(jobID)
            }
            let status = try await client.status(of: name)
            let state = job.map { "\($0.state)" } ?? "lost"
            if global.json {
                try CommandJSON.print(object: ["job_id": jobID, "job_name": labelID, "job_state": state, "printer": status.json])
            } else {
                print("test label \(labelID): CUPS job \(jobID) \(state)")
                print(status.line)
            }
            if job?.state != .completed { throw ExitCode(1) }
        }

        static func testLabel(_ id: String) -> ShippingLabel {
            let address = LabelAddress(
                name: "Waybill test label",
                lines: ["If you can read this,"],
                city: "the printer",
                postalCode: "works",
                country: ""
            )
            return ShippingLabel(
                id: BarcodeID(rawValue: id)!,
                shipFrom: address,
                shipTo: address,
                service: "TEST",
                weightGrams: 0,
                boxNumber: 1,
                boxCount: 1,
                orderReference: id,
                tracking: nil,
                boxID: BarcodeID(rawValue: id)!
            )
        }
    }
}
