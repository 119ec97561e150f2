import Foundation
import Logging
import WaybillCore
import WaybillPrint
import WaybillStore

/// The station's print-and-ship pipeline. In `auto` mode, orders assigned to the station are claimed
/// and planned into boxes, their box labels and packing slips printed, their carrier labels
/// requested and printed when they arrive, and the orders shipped, each step through the outbox,
/// without anyone typing a command. In `manual` mode a packer opens and plans orders at the station
/// screen, and a box's documents print only once the packer verified and weighed it; the rest of
/// the pipeline is the same.
///
/// Every step is found again from the database at each round, so a crash or a restart resumes where
/// it stopped; the print spooler refuses a label id twice, so nothing prints twice.
actor StationAutopilot {
    let store: WaybillStore
    let packer: OrderPacker
    let spooler: PrintSpooler?
    let stationID: String
    /// The label and document queues, read at each round (a reload may change them).
    let printers: @Sendable () -> (label: String?, document: String?)
    let shipFrom: LabelAddress
    let logger: Logger
    /// Called after a round that recorded operations (wakes the sync service).
    let changed: @Sendable () -> Void
    /// Whether boxes must be verified and weighed at the bench before their documents print (and
    /// orders are opened by a packer, not planned here): `station.mode: manual`.
    let verifyAtBench: Bool
    /// Orders the planner could not plan, with the reason, so they are not retried every round.
    private var unplannable: [String: String] = [:]

    init(
        store: WaybillStore,
        packer: OrderPacker,
        spooler: PrintSpooler?,
        stationID: String,
        printers: @escaping @Sendable () -> (label: String?, document: String?),
        shipFrom: LabelAddress,
        verifyAtBench: Bool = false,
        logger: Logger,
        changed: @escaping @Sendable () -> Void
    ) {
        self.verifyAtBench = verifyAtBench
        self.store = store
        self.packer = packer
        self.spooler = spooler
        self.stationID = stationID
        self.printers = printers
        self.shipFrom = shipFrom
        self.logger = logger
        self.changed = changed
    }

    /// What one round did.
    struct Report: Sendable, Equatable {
        var packed = 0
        var labelsRequested = 0
        var labelsQueued = 0
        var shipped = 0
        var paused = false
        var busy: Bool { packed + labelsRequested + labelsQueued + shipped > 0 }
    }

    /// One pass over every step; returns what it did.
    func round() async -> Report {
        var report = Report()
        do {
            if try store.autoModePaused() {
                report.paused = true
                return report
            }
            if !verifyAtBench { report.packed = try await pack() }
            // A box's own documents are durable before its carrier label is bought, and printed
            // before the order ships: the queries below check this, and the order of steps keeps
            // each round from waiting for the next.
            let slips = printers().document != nil
            var queued = try await printBoxDocuments()
            // Pipelined labels are recorded a moment later: wait, so that their orders' carrier
            // labels are requested now and the next round does not take them for missing.
            await spooler?.recorded()
            report.labelsRequested = try requestLabels(slips: slips)
            queued += try await printCarrierLabels()
            await spooler?.recorded()
            // Only labels now recorded count as work done: one the spooler dropped (a full spool
            // folder) is asked for again after the round's pause, not at once, round after round.
            report.labelsQueued = try queued.filter { try store.printJob(labelID: $0) != nil }.count
            report.shipped = try ship(slips: slips)
        } catch {
            logger.error("Autonomous mode step failed; it is retried next round", metadata: ["error": "\(error)"])
        }
        if report.packed + report.labelsRequested + report.shipped > 0 { changed() }
        return report
    }

    private func pack() async throws -> Int {
        var packed = 0
        // Orders it could not plan stay assigned; ask for as many more so they never crowd the others out.
        for orderID in try store.ordersToPack(stationID: stationID, limit: 20 + unplannable.count) where unplannable[orderID] == nil {
            do {
                let shipment = try await packer.pack(orderID: orderID, plannedBy: "auto")
                packed += 1
                logger.info(
                    "Order planned and packed",
                    metadata: ["order.id": "\(orderID)", "order.boxes": "\(shipment.boxes.count)", "order.cost": "\(shipment.totalCost)"]
                )
            } catch let error as PackError {
                unplannable[orderID] = error.description
                logger.warning("Order cannot be planned automatically; pack it by hand", metadata: ["order.id": "\(orderID)", "reason": "\(error)"])
            } catch {
                // Changed meanwhile (a pull, a person): the next round sees it afresh; the other orders go on.
                logger.notice("Order not packed this round", metadata: ["order.id": "\(orderID)", "reason": "\(error)"])
            }
        }
        return packed
    }

    private func requestLabels(slips: Bool) throws -> Int {
        var requested = 0
        for orderID in try store.ordersAwaitingLabelRequest(slips: slips) {
            // Checked again as it is requested: the sync may have applied a conflict since the list was read.
            guard try store.requestLabelsIfReady(orderID, slips: slips) else { continue }
            requested += 1
        }
        return requested
    }

    /// Box labels (label printer, ZPL) and packing slips (document printer, PDF), rendered here.
    /// - Returns: the ids of the labels queued.
    private func printBoxDocuments() async throws -> [String] {
        let (labelPrinter, documentPrinter) = printers()
        guard let spooler, let labelPrinter else { return [] }
        var queued: [String] = []
        for (orderID, boxNo, issue) in try store.boxesWithoutLocalLabels(slips: documentPrinter != nil, verifiedOnly: verifyAtBench) {
            let inputs = try store.packingInputs(orderID: orderID)
            guard let shipment = try store.shipment(orderID: orderID), let box = shipment.boxes.first(where: { $0.boxNo == boxNo }) else { continue }
            let label = BoxDocuments.boxLabel(
                order: inputs.order,
                boxNumber: boxNo,
                boxCount: shipment.boxes.count,
                service: box.service,
                grossLb: box.grossLb,
                shipFrom: shipFrom,
                issue: issue
            )
            if let documentPrinter {
                let slip = BoxDocuments.packingSlip(
                    order: inputs.order,
                    boxNumber: boxNo,
                    boxCount: shipment.boxes.count,
                    itemIDs: box.items.map(\.id),
                    skuNames: inputs.skus.mapValues(\.name),
                    issue: issue
                )
                let document = LabelToPrint(
                    labelID: slip.id.rawValue,
                    orderID: orderID,
                    boxNo: boxNo,
                    kind: .slip,
                    format: .pdf,
                    bytes: PDFLabelRenderer.render(slip, fonts: LabelFonts.shared)
                )
                queued += try await enqueue(
                    document,
                    on: documentPrinter,
                    spooler: spooler,
                    renderedFrom: (inputs.order.contentVersion, shipment.revision)
                )
            }
            let zpl = LabelToPrint(
                labelID: label.id.rawValue,
                orderID: orderID,
                boxNo: boxNo,
                kind: .box,
                format: .zpl,
                bytes: ZPLRenderer(fonts: LabelFonts.shared).render(label)
            )
            queued += try await enqueue(zpl, on: labelPrinter, spooler: spooler, renderedFrom: (inputs.order.contentVersion, shipment.revision))
        }
        return queued
    }

    /// - Returns: the ids of the labels queued.
    /// Queues the carrier labels bought so far: ZPL on the label printer, PDF (`shipping.label_format:
    /// pdf`, which requires `printers.document`) on the document printer.
    private func printCarrierLabels() async throws -> [String] {
        let (labelPrinter, documentPrinter) = printers()
        guard let spooler, let labelPrinter else { return [] }
        var queued: [String] = []
        for label in try store.carrierLabelsToPrint() {
            guard let printer = label.format == .pdf ? documentPrinter : labelPrinter else { continue }
            queued += try await enqueue(label, on: printer, spooler: spooler)
        }
        return queued
    }

    /// Records which order a label belongs to, then queues it for printing.
    /// - Parameter renderedFrom: for a box document, the order's content version and the plan
    ///   revision it was rendered from.
    /// - Returns: `[label id]` when it was queued now; `[]` when it already has a print job (or was
    ///   refused, or the order or its plan changed since it was rendered).
    private func enqueue(
        _ label: LabelToPrint,
        on printer: String,
        spooler: PrintSpooler,
        renderedFrom: (contentVersion: Int, planRevision: Int)? = nil
    ) async throws -> [String] {
        guard try store.recordLabel(label, contentVersion: renderedFrom?.contentVersion, planRevision: renderedFrom?.planRevision) else {
            logger.notice(
                "Document not printed: its order or box plan changed since it was rendered (or it was replaced); the next round renders what is due",
                metadata: ["label.id": "\(label.labelID)"]
            )
            return []
        }
        if try store.printJob(labelID: label.labelID) != nil { return [] }
        do {
            try await spooler.enqueue(label.bytes, labelID: label.labelID, format: label.format, printer: printer)
            return [label.labelID]
        } catch {
            // Held jobs are retried by the spooler; only a refused request lands here.
            logger.error("Label not queued", metadata: ["label.id": "\(label.labelID)", "printer": "\(printer)", "error": "\(error)"])
            return []
        }
    }

    private func ship(slips: Bool) throws -> Int {
        var shipped = 0
        for orderID in try store.ordersReadyToShip(slips: slips) {
            // Checked again as it ships: the sync may have applied a conflict since the list was read.
            guard try store.shipIfReady(orderID, slips: slips) else { continue }
            shipped += 1
            logger.info("Order shipped", metadata: ["order.id": "\(orderID)"])
        }
        return shipped
    }
}
