import Foundation
import WaybillCore
import WaybillStore

extension HealthFacts {
    /// The facts the store holds: outbox, conflicts, quarantine, print jobs, and what the sync
    /// engine last recorded (connectivity, errors, the feed, the central API's clock).
    init(status: StoreStatus, syncState: [SyncStateKey: String]) {
        self.init()
        connectivity = syncState[.connectivity]
        offlineSince = syncState[.offlineSince].flatMap(Double.init).map { Date(timeIntervalSince1970: $0) }
        lastErrorCode = syncState[.lastErrorCode]
        lastError = syncState[.lastError]
        feedBlocked = syncState[.feedBlocked]
        clockSkew = syncState[.clockSkew].flatMap(Double.init)
        oldestPendingAge = status.oldestPendingAge
        deadLetters = status.deadLetters
        conflictsOpen = status.conflictsOpen
        quarantined = status.quarantined
        // Jobs the conflict rules withdrew failed on purpose: not a printer problem to fix.
        failedPrintJobs = (status.printJobs[.failed] ?? 0) - status.withdrawnPrintJobs
    }

    /// The file systems of the database and, when the station prints, of the spool; one that cannot
    /// be read is left out (`waybill doctor` says why).
    mutating func measureDisks(storePath: String, spoolPath: String?) {
        let folders = [("database", URL(fileURLWithPath: storePath).deletingLastPathComponent().path)] + (spoolPath.map { [("spool", $0)] } ?? [])
        disks = folders.compactMap { role, path in try? DiskProbe.space(of: path, role: role).get() }
    }

    /// Printer faults and held labels as `waybill status` read them.
    mutating func add(_ printing: PrintingStatus) {
        printerFaults = printing.printers.compactMap { printer in
            printer.problem.map { PrinterFault(role: printer.role, name: printer.name, message: $0) }
        }
        heldLabels = printing.heldJobs.map { HeldLabel(labelID: $0.labelID, reason: $0.reason) }
    }

    /// A scale that gives no reading.
    mutating func add(_ scale: ScaleState?) {
        guard let scale, scale.state == .disconnected else { return }
        scaleSilent = (scale.device, scale.text)
    }
}
