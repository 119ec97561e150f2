import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillTestSupport

/// `waybill ship ORDER_ID` on a manual station, over a real SQLite file: it ships a labelled order
/// whose carrier labels printed, and otherwise says what is missing and changes nothing.
@Suite(.timeLimit(.minutes(5))) struct ShipCommandTests {
    let fixture: ConfigFixture
    let store: WaybillStore

    init() throws {
        fixture = try ConfigFixture()
        store = try WaybillStore.open(atPath: fixture.folder.file("db/waybill.sqlite"))
        _ = try store.identity(for: StationID(rawValue: "station-7")!)
        try store.upsertOrder(ReplicaOrder(id: "O-1", version: 3, state: .assigned, lines: [OrderLine(skuID: "SKU-1", quantity: 2)]))
    }

    func ship(_ orderID: String = "O-1") async throws -> WaybillBinary.Output {
        try await WaybillBinary.run(["ship", orderID, "--config", fixture.configPath])
    }

    func carrierLabel(box: Int, state: PrintJobState, reason: String? = nil) throws -> PrintJobRecord {
        let label = LabelToPrint(labelID: "CL-\(box)", orderID: "O-1", boxNo: box, kind: .carrier, format: .zpl, bytes: Array("^XA^XZ".utf8))
        try store.recordLabel(label)
        let job = PrintJobRecord(
            labelID: label.labelID,
            printer: "label",
            format: .zpl,
            spoolPath: fixture.folder.file("spool/CL-\(box).zpl"),
            state: state,
            attempts: 1,
            reason: reason,
            createdAt: 1,
            updatedAt: 1
        )
        try store.insertPrintJob(job)
        return job
    }

    @Test func ship_saysWhatIsMissing_untilEveryCarrierLabelPrinted_thenShipsOnce() async throws {
        let unknown = try await ship("O-404")
        #expect(unknown.status == .exited(1))
        #expect(unknown.standardError.contains("order O-404 is not in the replica; run `waybill sync`"))

        let unpacked = try await ship()
        #expect(unpacked.status == .exited(1))
        #expect(unpacked.standardError.contains("order O-1 is assigned: it has no box plan yet; pack it first"))

        try store.recordShipment(orderID: "O-1", boxes: [.sample(1), .sample(2)], plannedBy: "ana")
        #expect(try await ship().standardError.contains("carrier labels were not requested yet"))

        try store.recordOrderTransition(orderID: "O-1", to: .labelled, kind: .labelRequest, payload: CentralAPI.LabelRequestPayload(boxes: 2))
        let noLabels = try await ship()
        #expect(noLabels.status == .exited(1))
        #expect(noLabels.standardError.contains("box 1 has no (unvoided) carrier label yet"))
        #expect(noLabels.standardError.contains("box 2 has no (unvoided) carrier label yet"))

        _ = try carrierLabel(box: 1, state: .printed)
        var held = try carrierLabel(box: 2, state: .held, reason: "printer label is out of labels")
        let heldOutput = try await ship()
        #expect(heldOutput.status == .exited(1))
        #expect(!heldOutput.standardError.contains("box 1"))
        #expect(heldOutput.standardError.contains("box 2's carrier label CL-2 is held (printer label is out of labels)"))
        #expect(try store.order(id: "O-1")?.state == .labelled, "a refused ship changes nothing")

        held.state = .printed
        try store.savePrintJob(held)
        // A packing slip recorded while a document printer was configured, whose print failed: this
        // configuration names no document printer, so slips do not hold the parcel (as in the autonomous mode).
        let slip = LabelToPrint(labelID: "PS-O-1-1", orderID: "O-1", boxNo: 1, kind: .slip, format: .zpl, bytes: Array("^XA^XZ".utf8))
        try store.recordLabel(slip)
        try store.insertPrintJob(
            PrintJobRecord(
                labelID: slip.labelID,
                printer: "documents",
                format: .zpl,
                spoolPath: fixture.folder.file("spool/PS-O-1-1.zpl"),
                state: .failed,
                attempts: 1,
                createdAt: 1,
                updatedAt: 1
            )
        )
        // Slips count where they print: when the running agent has a document printer (recorded
        // at its start), or this configuration names one.
        try store.recordSyncState([.documentPrinter: "office"])
        let agentPrintsSlips = try await ship()
        #expect(agentPrintsSlips.status == .exited(1))
        #expect(agentPrintsSlips.standardError.contains("box 1's packing slip PS-O-1-1 is failed"), "\(agentPrintsSlips.standardError)")
        try store.recordSyncState([.documentPrinter: ""])
        let configured = try String(contentsOfFile: fixture.configPath, encoding: .utf8) + "\nprinters:\n  document: office\n"
        let withPrinter = fixture.folder.file("with-printer.yaml")
        try configured.write(toFile: withPrinter, atomically: true, encoding: .utf8)
        let configuredSlips = try await WaybillBinary.run(["ship", "O-1", "--config", withPrinter])
        #expect(configuredSlips.status == .exited(1))
        #expect(configuredSlips.standardError.contains("box 1's packing slip PS-O-1-1 is failed"), "\(configuredSlips.standardError)")
        #expect(try store.order(id: "O-1")?.state == .labelled)

        let shipped = try await ship()
        #expect(shipped.status == .exited(0), "\(shipped.standardError)")
        #expect(shipped.standardOutput.contains("order O-1 shipped"))
        #expect(try store.order(id: "O-1")?.state == .shipped)
        #expect(try store.outboxEntries().filter { $0.operation.kind == .ship }.map(\.operation.entityID) == ["O-1"])

        let again = try await ship()
        #expect(again.status == .exited(0))
        #expect(again.standardOutput.contains("already shipped"))
        #expect(try store.outboxEntries().filter { $0.operation.kind == .ship }.count == 1)
    }
}
