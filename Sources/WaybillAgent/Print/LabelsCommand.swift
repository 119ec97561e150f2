import ArgumentParser
import Foundation
import WaybillCore

extension WaybillCommand {
    /// `waybill labels`: the labels this station printed, reprints and previews.
    struct Labels: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List printed labels, reprint one (with a reason) or preview one as PNG.",
            subcommands: [List.self, Reprint.self, Preview.self, Drill.self]
        )
    }
}

extension PrintJobRecord {
    /// The JSON object `waybill labels list --json` prints.
    var json: [String: Any] {
        [
            "label_id": labelID, "printer": printer, "format": format.rawValue, "state": state.rawValue,
            "cups_job_id": cupsJobID ?? NSNull(), "attempts": attempts, "reason": reason ?? NSNull(),
            "reprint_of": reprintOf ?? NSNull(), "reprint_reason": reprintReason ?? NSNull(), "resubmissions": resubmissions,
            "spool_path": spoolPath, "created_at": ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: createdAt)),
        ]
    }
}
