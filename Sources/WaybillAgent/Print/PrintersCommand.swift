import ArgumentParser
import Foundation
import WaybillCore
import WaybillPrint

extension WaybillCommand {
    /// `waybill printers`: the CUPS queues, their state and reasons; a test label.
    struct Printers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the CUPS queues (state, reasons, accepting) or print a test label.",
            subcommands: [List.self, Test.self],
            defaultSubcommand: List.self
        )
    }
}

extension PrinterStatus {
    /// The JSON object `waybill printers --json` prints for a queue.
    var json: [String: Any] {
        [
            "name": name, "state": state.rawValue, "reasons": reasons, "accepting": isAccepting, "message": message,
            "fault": fault.map { $0.code.rawValue } ?? NSNull(), "action": fault.map { $0.message } ?? NSNull(),
        ]
    }

    /// One line for people.
    var line: String {
        let reasonText = reasons.isEmpty ? "" : "  reasons: \(reasons.joined(separator: ","))"
        return "\(name)  \(state.rawValue)\(isAccepting ? "" : "  rejecting")\(reasonText)\(fault.map { "\n  -> \($0.message)" } ?? "")"
    }
}
