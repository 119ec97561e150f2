import Foundation
import Testing
import WaybillCore
import WaybillStore
import WaybillSync
import WaybillTestSupport

/// Each conflict rule, end to end through the hub's admin API.
@Suite(.timeLimit(.minutes(5))) struct ConflictSyncTests {
    private func prepared(_ states: [(OrderState, OperationKind)]) async throws -> (RunningHub, SyncHarness, String, TemporaryDirectory) {
        let hubFolder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: hubFolder.file("hub.sqlite"), orders: 60)
        let station = try SyncHarness(hub: hub)
        try await station.settle()
        let id = try #require(try station.ownOrders(1).first)
        for (state, kind) in states { try station.store.recordSampleTransition(orderID: id, to: state, kind: kind) }
        try await station.settle()
        return (hub, station, id, hubFolder)
    }

    /// Spools a box label, a packing slip and (with `carrier`) a carrier label of `id`, and a reprint
    /// of the box label and of the carrier label (none sent to CUPS yet); returns the jobs' label ids by kind.
    private func spoolDocuments(_ store: WaybillStore, _ id: String, carrier: Bool = true) throws -> [LabelToPrint.Kind: [String]] {
        var ids: [LabelToPrint.Kind: [String]] = [:]
        for (kind, labelID) in [(LabelToPrint.Kind.box, "BX-\(id)-1"), (.slip, "PS-\(id)-1"), (.carrier, "CL-\(id)-1")]
        where carrier || kind != .carrier {
            try store.recordLabel(LabelToPrint(labelID: labelID, orderID: id, boxNo: 1, kind: kind, format: .zpl, bytes: Array("^XA^XZ".utf8)))
            for (job, reprintOf) in [(labelID, nil), (labelID + "-R1", labelID)] where kind != .slip || reprintOf == nil {
                try store.insertPrintJob(
                    PrintJobRecord(
                        labelID: job,
                        printer: "label",
                        format: .zpl,
                        spoolPath: "/spool/\(job).zpl",
                        reprintOf: reprintOf,
                        reprintReason: reprintOf.map { _ in "smudged" },
                        createdAt: 0,
                        updatedAt: 0
                    )
                )
                ids[kind, default: []].append(job)
            }
        }
        return ids
    }

    @Test func cancelledAfterPacking_isAnInterceptThatNeedsAPerson() async throws {
        let (hub, station, id, _) = try await prepared([(.claimed, .claim), (.packed, .pack), (.labelled, .labelRequest)])
        let documents = try spoolDocuments(station.store, id)
        _ = try await hub.send("POST", "/admin/orders/\(id)/cancel")
        try await station.settle()
        let conflict = try #require(try station.store.conflicts(openOnly: true).first)
        #expect(conflict.rule == "intercept")
        #expect(conflict.entityID == id)
        #expect(try station.store.order(id: id)?.state == .cancelled)
        // The label is voided through the outbox.
        #expect(try await hub.ledger().contains { $0.type == "void_label" && $0.entityID == id })
        // Nothing of the parcel prints.
        for labelID in documents.values.joined() {
            #expect(try station.store.printJob(labelID: labelID)?.state == .failed, "\(labelID) was not withdrawn")
        }
        await hub.stop()
    }

    /// The relabel withdraws the carrier label it voids, and the box label and the slip (they show
    /// the old address): they are issued again from the new address under new ids, and only the
    /// new issue counts for the parcel, so the order can still ship once a person has resolved it.
    @Test func addressEditedAfterLabelling_needsARelabel_andReissuesTheBoxDocuments() async throws {
        let (hub, station, id, _) = try await prepared([(.claimed, .claim)])
        try station.store.recordShipment(orderID: id, boxes: [.sample(1)], plannedBy: "test")
        try station.store.recordSampleTransition(orderID: id, to: .labelled, kind: .labelRequest)
        try await station.settle()
        let documents = try spoolDocuments(station.store, id)
        _ = try await hub.send(
            "POST",
            "/admin/orders/\(id)/address",
            body: #"{"name":"New Name","street1":"9 Rd","city":"C","region":"CA","postal_code":"90001","country":"US"}"#
        )
        try await station.settle()
        let conflict = try #require(try station.store.conflicts(openOnly: true).first)
        #expect(conflict.rule == "relabel")
        for labelID in documents.values.joined() {
            #expect(try station.store.printJob(labelID: labelID)?.state == .failed, "\(labelID) was not withdrawn")
        }
        let labels = try station.store.orderLabels(orderID: id)
        #expect(labels.filter(\.replaced).map(\.labelID).sorted() == ["BX-\(id)-1", "PS-\(id)-1"])
        #expect(!labels.contains { $0.kind == .carrier && $0.replaced }, "a carrier label is voided, not replaced")

        // The box's documents are due again, as their second issue.
        let due = try station.store.boxesWithoutLocalLabels(slips: true)
        #expect(due.map { "\($0.orderID) \($0.boxNo) \($0.issue)" } == ["\(id) 1 2"])
        let refused = #expect(throws: StoreError.self) { try station.store.shipOrder(id) }
        #expect(
            refused?.description.contains("box 1's box label showed the old address and was issued again") == true,
            "\(String(describing: refused))"
        )

        // The new issue and a new carrier label print; once a person resolves the relabel, it ships.
        for (kind, labelID) in [
            (LabelToPrint.Kind.box, BoxDocuments.labelID(orderID: id, boxNumber: 1, issue: 2).rawValue),
            (.slip, BoxDocuments.slipID(orderID: id, boxNumber: 1, issue: 2).rawValue), (.carrier, "CL-\(id)-2"),
        ] {
            try station.store.recordLabel(
                LabelToPrint(labelID: labelID, orderID: id, boxNo: 1, kind: kind, format: .zpl, bytes: Array("^XA^XZ".utf8))
            )
            try station.store.insertPrintJob(
                PrintJobRecord(
                    labelID: labelID,
                    printer: "label",
                    format: .zpl,
                    spoolPath: "/spool/\(labelID).zpl",
                    state: .printed,
                    createdAt: 1,
                    updatedAt: 1
                )
            )
        }
        #expect(try station.store.boxesWithoutLocalLabels(slips: true).isEmpty)
        #expect(try station.store.ordersReadyToShip(slips: true).isEmpty, "a person has not resolved the relabel yet")
        try station.store.resolveConflict(id: conflict.id, keep: .central, by: "test", note: "new labels on the parcel")
        #expect(try station.store.ordersReadyToShip(slips: true) == [id])
        #expect(try station.store.shipOrder(id) != .alreadyShipped, "by hand too: the replaced documents no longer count")
        await hub.stop()
    }

    /// An address edited while the order is packed (its box documents printing, no carrier label
    /// yet) needs nobody: the documents printed so far show the old address and are issued again.
    @Test func addressEditedWhilePacked_reissuesTheBoxDocuments_withoutAConflict() async throws {
        let (hub, station, id, _) = try await prepared([(.claimed, .claim)])
        try station.store.recordShipment(orderID: id, boxes: [.sample(1), .sample(2)], plannedBy: "test")
        try await station.settle()
        let documents = try spoolDocuments(station.store, id)
        #expect(try station.store.boxesWithoutLocalLabels(slips: true).map(\.boxNo) == [2])
        _ = try await hub.send(
            "POST",
            "/admin/orders/\(id)/address",
            body: #"{"name":"New Name","street1":"9 Rd","city":"C","region":"CA","postal_code":"90001","country":"US"}"#
        )
        try await station.settle()
        #expect(try station.store.conflicts().isEmpty)
        #expect(try station.store.order(id: id)?.state == .packed)
        for labelID in (documents[.box] ?? []) + (documents[.slip] ?? []) {
            let job = try #require(try station.store.printJob(labelID: labelID))
            #expect(job.state == .failed && job.reason?.contains("shows the old address") == true, "\(labelID): \(job)")
        }
        let due = try station.store.boxesWithoutLocalLabels(slips: true)
        #expect(due.map { "\($0.boxNo) \($0.issue)" } == ["1 2", "2 1"], "box 1's documents again, box 2's for the first time")
        #expect(try station.store.ordersAwaitingLabelRequest(slips: true).isEmpty, "no label is bought before the new documents are spooled")
        let withdrawn = documents.values.joined().count
        #expect(try station.store.status().withdrawnPrintJobs == withdrawn, "withdrawn on purpose, not a printer fault")
        await hub.stop()
    }

    /// Lines edited centrally after packing: a resplit waits for a person, with every job withdrawn
    /// and nothing printed for the old plan. The person plans the boxes again (`waybill pack
    /// --replan`, refused by `conflicts resolve` before that): the old box labels and slips are
    /// replaced, the hub accepts its `pack` operation (it keeps no plan), and once resolved the new
    /// plan's documents are due.
    @Test func linesEditedAfterPacking_needsAResplit_finishedByPlanningAgain() async throws {
        let (hub, station, id, _) = try await prepared([(.claimed, .claim)])
        try station.store.recordShipment(orderID: id, boxes: [.sample(1), .sample(2)], plannedBy: "test")
        try await station.settle()
        let documents = try spoolDocuments(station.store, id, carrier: false)
        _ = try await hub.send("POST", "/admin/orders/\(id)/lines", body: #"{"lines":[{"line_no":1,"sku":"SKU-0003","quantity":2}]}"#)
        try await station.settle()
        let conflict = try #require(try station.store.conflicts(openOnly: true).first)
        #expect(conflict.rule == "resplit")
        #expect(try station.store.order(id: id)?.lines == [OrderLine(skuID: "SKU-0003", quantity: 2)])
        #expect(try station.store.boxesWithoutLocalLabels(slips: true).isEmpty, "nothing prints for the old plan")
        #expect(
            documents.values.joined().allSatisfy { (try? station.store.printJob(labelID: $0)?.state) == .failed },
            "the resplit withdrew the old plan's jobs"
        )

        let early = #expect(throws: StoreError.self) { try station.store.resolveConflict(id: conflict.id, keep: .central, by: "ana", note: nil) }
        #expect(early?.description.contains("plan the boxes again first (`waybill pack \(id) --replan`)") == true, "\(String(describing: early))")

        try station.store.recordShipment(orderID: id, boxes: [.sample(1)], plannedBy: "ana", replan: true)
        for labelID in ["BX-\(id)-1", "PS-\(id)-1"] {
            #expect(try station.store.replacement(ofDocument: labelID) == "the boxes were planned again (revision 2)", "\(labelID)")
        }
        try await station.settle()
        #expect(try station.store.status().deadLetters == 0, "the hub refused the pack operation (it keeps no plan)")
        #expect(try station.store.outboxEntries().isEmpty)
        try station.store.resolveConflict(id: conflict.id, keep: .central, by: "ana", note: "planned again")
        try await station.settle()
        let due = try station.store.boxesWithoutLocalLabels(slips: true)
        #expect(due.map { "\($0.orderID) \($0.boxNo) \($0.issue)" } == ["\(id) 1 2"], "the new plan's one box, its documents issued again")
        await hub.stop()
    }

    /// Lines edited after labelling: no carrier label is bought for the old plan's boxes while a
    /// person decides (a labelled order cannot be planned again); resolving it lets the purchase go on.
    @Test func linesEditedAfterLabelling_buysNoLabelForTheOldPlan_untilAPersonDecides() async throws {
        let (hub, station, id, _) = try await prepared([(.claimed, .claim)])
        try station.store.recordShipment(orderID: id, boxes: [.sample(1)], plannedBy: "test")
        try station.store.recordSampleTransition(orderID: id, to: .labelled, kind: .labelRequest)
        try await station.settle()
        try #require(try station.store.labelPurchasesDue().map(\.purchase.orderID) == [id], "its label request is confirmed")
        _ = try await hub.send("POST", "/admin/orders/\(id)/lines", body: #"{"lines":[{"line_no":1,"sku":"SKU-0003","quantity":2}]}"#)
        try await station.settle()
        let conflict = try #require(try station.store.conflicts(openOnly: true).first)
        #expect(conflict.rule == "resplit")
        #expect(try station.store.labelPurchasesDue().isEmpty, "a label for the old plan while a person decides")

        try station.store.resolveConflict(id: conflict.id, keep: .central, by: "ana", note: "checked the parcel")
        #expect(try station.store.labelPurchasesDue().map(\.purchase.orderID) == [id])
        await hub.stop()
    }

    @Test func reassignedElsewhere_supersedesLocalWork() async throws {
        let (hub, station, id, _) = try await prepared([(.claimed, .claim)])
        _ = try await hub.send("POST", "/admin/orders/\(id)/reassign", body: #"{"station_id":"station-2"}"#)
        try await station.settle()
        let conflict = try #require(try station.store.conflicts().first)
        #expect(conflict.rule == "superseded")
        #expect(conflict.state == "auto_resolved")
        await hub.stop()
    }

    @Test func refusedClaim_isDeadLettered_andLaterWorkOnThatOrderIsHeld_butOthersFlow() async throws {
        let hubFolder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: hubFolder.file("hub.sqlite"), orders: 60)
        let one = try SyncHarness(hub: hub, station: "station-1")
        let two = try SyncHarness(hub: hub, station: "station-2")
        try await one.settle()
        try await two.settle()
        // O-000010 is in the warehouse pool: station-2 claims it first.
        try two.store.recordSampleTransition(orderID: "O-000010", to: .claimed, kind: .claim)
        try await two.settle()
        let other = try #require(try one.ownOrders(1).first)
        try one.store.recordSampleTransition(orderID: "O-000010", to: .claimed, kind: .claim)
        _ = await one.engine.cycle()
        try one.store.recordSampleTransition(orderID: "O-000010", to: .packed, kind: .pack)
        try one.store.recordSampleTransition(orderID: other, to: .claimed, kind: .claim)
        try await one.settle()
        #expect(try one.store.status().deadLetters == 1)
        #expect(try one.store.status().held == 1)
        #expect(try await hub.ledger().contains { $0.entityID == other && $0.stationID == "station-1" })
        let refused = try #require(try one.store.conflicts(openOnly: true).first { $0.rule == "operation_refused" })
        #expect(refused.reason.contains("claimed_by_other"))
        // A person keeps the central side: the held pack is discarded, the resolution is pushed.
        try one.store.resolveConflict(id: refused.id, keep: .central, by: "test", note: "station-2 has it")
        try await one.settle()
        #expect(try one.store.status().held == 0)
        #expect(try one.store.status().deadLetters == 0, "a dead letter whose conflict a person resolved is acknowledged, not a problem")
        #expect(try one.store.outboxEntries(state: .dead, limit: 10).count == 2, "kept in history: the refused claim and the discarded pack")
        #expect(try await hub.ledger().contains { $0.type == "resolve_conflict" && $0.stationID == "station-1" })
        await hub.stop()
    }
}
