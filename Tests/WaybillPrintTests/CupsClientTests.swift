import Foundation
import Testing
import WaybillCore
import WaybillPrint
import WaybillTestSupport

/// libcups against a real private cupsd and its capture backend.
@Suite(.serialized, .timeLimit(.minutes(5))) struct CupsClientTests {
    @Test func zplAndPDF_reachThePrinterByteForByte() async throws {
        let cupsd = try await PrivateCupsd()
        try cupsd.addQueue("labels")
        let client = CupsClient(server: cupsd.server)
        let zpl = ZPLRenderer().render(CupsFixtures.label("Zoë ^FS~JA"))
        let pdf = PDFLabelRenderer.render(CupsFixtures.label(") Tj ET"))
        let zplJob = try await client.submit(zpl, format: .zpl, printer: "labels", jobName: "L-1")
        let pdfJob = try await client.submit(pdf, format: .pdf, printer: "labels", jobName: "L-2")
        #expect(try await CupsFixtures.waitForFinal(client, zplJob).state == .completed)
        #expect(try await CupsFixtures.waitForFinal(client, pdfJob).state == .completed)
        #expect(cupsd.captured("L-1") == [zpl])
        #expect(cupsd.captured("L-2") == [pdf])
        let names = try await client.jobs(printer: "labels").map(\.name)
        #expect(names == ["L-1", "L-2"])
    }

    /// cupsd answers at most 500 jobs per Get-Jobs; reconciliation finds labels by name among all of them.
    @Test func jobsByName_includeJobsOlderThanTheLatest500() async throws {
        let cupsd = try await PrivateCupsd()
        try cupsd.addQueue("labels")
        let client = CupsClient(server: cupsd.server)
        for number in 1...520 { _ = try await client.submit([UInt8(ascii: "x")], format: .zpl, printer: "labels", jobName: "L-\(number)") }
        // The cap bites on finished jobs (the history), so let them all print first.
        let deadline = ContinuousClock.now + .seconds(120)
        while cupsd.capturedFiles().count < 520, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(cupsd.capturedFiles().count == 520)
        let names = try await client.jobs(printer: "labels").map(\.name)
        #expect(names.count == 520)
        #expect(names.first == "L-1" && names.last == "L-520", "\(names.prefix(3)) ... \(names.suffix(3))")
    }

    @Test func theSocketPath_worksLikeHostAndPort() async throws {
        let cupsd = try await PrivateCupsd()
        try cupsd.addQueue("labels")
        let client = CupsClient(server: cupsd.socketPath)
        let status = try await client.status(of: "labels")
        #expect(status.state == .idle && status.isAccepting && status.fault == nil)
        #expect(try await client.printers().map(\.name) == ["labels"])
    }

    @Test func missingQueue_isQueueMissing() async throws {
        let cupsd = try await PrivateCupsd()
        let client = CupsClient(server: cupsd.server)
        let error = await #expect(throws: PrintError.self) {
            _ = try await client.submit([1], format: .zpl, printer: "nowhere", jobName: "L-9")
        }
        #expect(error?.code == .queueMissing)
        #expect(error?.message.contains("lpadmin") == true)
        #expect(try await client.printers().isEmpty)
        #expect(try await client.job(12_345) == nil)
    }

    @Test func rejectingQueue_refusesTheJob_andShowsInItsStatus() async throws {
        let cupsd = try await PrivateCupsd()
        try cupsd.addQueue("labels")
        try cupsd.reject("labels")
        let client = CupsClient(server: cupsd.server)
        #expect(try await client.status(of: "labels").fault?.code == .queueRejecting)
        let error = await #expect(throws: PrintError.self) {
            _ = try await client.submit([1], format: .zpl, printer: "labels", jobName: "L-9")
        }
        #expect(error?.code == .queueRejecting)
    }

    @Test func disabledQueue_andEmptyMedia_showAsFaults() async throws {
        let cupsd = try await PrivateCupsd()
        try cupsd.addQueue("labels")
        try cupsd.disable("labels")
        let client = CupsClient(server: cupsd.server)
        #expect(try await client.status(of: "labels").fault?.code == .queueDisabled)
        try cupsd.enable("labels")
        try cupsd.setFault(.mediaEmpty, on: "labels")
        _ = try await client.submit([1], format: .zpl, printer: "labels", jobName: "L-3")
        let status = try await CupsFixtures.poll { try await client.status(of: "labels").fault == nil ? nil : try await client.status(of: "labels") }
        #expect(status.fault?.code == .mediaEmpty)
        #expect(status.reasons.contains("media-empty-error"))
    }

    @Test func aConnectionCupsdClosed_isReopenedBeforeTheNextLabel_andEachLabelPrintsOnce() async throws {
        let cupsd = try await PrivateCupsd()
        try cupsd.addQueue("labels")
        let client = CupsClient(server: cupsd.server)
        let first = try await client.submit([1], format: .zpl, printer: "labels", jobName: "K-1")
        // A restart closes the kept-alive connection under the client.
        cupsd.stop()
        try await cupsd.start()
        let second = try await client.submit([2], format: .zpl, printer: "labels", jobName: "K-2")
        #expect(first > 0 && second > 0)
        _ = try await CupsFixtures.poll { cupsd.captured("K-1").isEmpty || cupsd.captured("K-2").isEmpty ? nil : true }
        #expect(cupsd.captured("K-1") == [[1]] && cupsd.captured("K-2") == [[2]])
    }

    @Test func stoppedCupsd_isServerUnreachable_untilItIsBack() async throws {
        let cupsd = try await PrivateCupsd()
        try cupsd.addQueue("labels")
        let client = CupsClient(server: cupsd.server)
        _ = try await client.status(of: "labels")
        cupsd.stop()
        let error = await #expect(throws: PrintError.self) { _ = try await client.status(of: "labels") }
        #expect(error?.code == .serverUnreachable)
        try await cupsd.start()
        #expect(try await client.status(of: "labels").isAccepting)
    }
}

enum CupsFixtures {
    static func label(_ name: String) -> ShippingLabel {
        ShippingLabel(
            id: BarcodeID(rawValue: "L-1")!,
            shipFrom: LabelAddress(name: "Waybill DC", lines: ["1 Dock Rd"], city: "Leeds", postalCode: "LS1", country: "GB"),
            shipTo: LabelAddress(name: name, lines: ["12 Row"], city: "London", postalCode: "NW1", country: "GB"),
            service: "Ground",
            weightGrams: 900,
            boxNumber: 1,
            boxCount: 1,
            orderReference: "PO-1",
            tracking: nil,
            boxID: BarcodeID(rawValue: "BOX-1")!
        )
    }

    /// A one-box packing slip of `lines`, shipping to `name`.
    static func slip(_ lines: [PackingSlip.Line], shipTo name: String = "x") -> PackingSlip {
        PackingSlip(
            id: BarcodeID(rawValue: "S-1")!,
            shipTo: label(name).shipTo,
            orderReference: "PO-1",
            boxNumber: 1,
            boxCount: 1,
            boxID: BarcodeID(rawValue: "BOX-1")!,
            lines: lines
        )
    }

    /// Polls `check` until it returns a value, for up to `seconds`.
    static func poll<T>(seconds: Int = 20, _ check: () async throws -> T?) async throws -> T {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if let value = try await check() { return value }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw TestSupportError("condition not met within \(seconds) s")
    }

    static func waitForFinal(_ client: CupsClient, _ id: Int) async throws -> CupsJob {
        try await poll {
            let job = try await client.job(id)
            return job?.state.isFinal == true ? job : nil
        }
    }
}
