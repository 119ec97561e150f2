import Foundation
import GRDB
import Logging
import Testing
import WaybillAgent
import WaybillCore
import WaybillPrint
import WaybillStore
import WaybillTestSupport

/// `waybill printers` and `waybill labels` against a private cupsd and the station's database.
@Suite(.serialized, .timeLimit(.minutes(5))) struct PrintCommandTests {
    static func fixture(_ cupsd: PrivateCupsd) throws -> ConfigFixture {
        try ConfigFixture(extra: "cups:\n  server: \(cupsd.server)\nprinters:\n  label: labels\n  document: documents\n")
    }

    @Test func printersList_showsStateReasonsAndMissingConfiguredQueues() async throws {
        let cupsd = try await PrivateCupsd()
        try cupsd.addQueue("labels")
        try cupsd.reject("labels")
        let fixture = try Self.fixture(cupsd)
        let output = try await WaybillBinary.run(["printers", "list", "--json", "--config", fixture.configPath])
        #expect(output.status == .exited(0), "\(output.standardError)")
        let queues = try #require(try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [[String: Any]])
        #expect(queues.map { $0["name"] as? String } == ["labels", "documents"])
        #expect(queues[0]["accepting"] as? Bool == false && queues[0]["fault"] as? String == "queue_rejecting")
        #expect(queues[1]["fault"] as? String == "queue_missing")
        let text = try await WaybillBinary.run(["printers", "--config", fixture.configPath])
        #expect(text.standardOutput.contains("cupsaccept labels"))
    }

    @Test func printersTest_printsATestLabel() async throws {
        let cupsd = try await PrivateCupsd()
        try cupsd.addQueue("labels")
        let fixture = try Self.fixture(cupsd)
        let output = try await WaybillBinary.run(["printers", "test", "labels", "--json", "--config", fixture.configPath])
        #expect(output.status == .exited(0), "\(output.standardError)")
        let captured = cupsd.capturedFiles()
        #expect(captured.count == 1 && captured[0].name.hasPrefix("TEST-"))
    }

    @Test func labels_listReprintWithReasonAndPreview() async throws {
        let cupsd = try await PrivateCupsd()
        try cupsd.addQueue("labels")
        let fixture = try Self.fixture(cupsd)
        let configuration = try await ConfigurationLoader(explicitPath: fixture.configPath).load()
        let spooler = try PrintComposition.spooler(configuration: configuration, logger: Logger(label: "test"))
        let label = ShippingLabel(
            id: BarcodeID(rawValue: "L-1")!,
            shipFrom: LabelAddress(name: "DC", lines: [], city: "Leeds", postalCode: "LS1", country: "GB"),
            shipTo: LabelAddress(name: "Ada", lines: ["1 Row"], city: "London", postalCode: "NW1", country: "GB"),
            service: "Ground",
            weightGrams: 500,
            boxNumber: 1,
            boxCount: 1,
            orderReference: "PO-1",
            tracking: nil,
            boxID: BarcodeID(rawValue: "BOX-1")!
        )
        try await spooler.print(PDFLabelRenderer.render(label), labelID: "L-1", format: .pdf, printer: "labels")
        try await spooler.print(ZPLRenderer().render(label), labelID: "L-2", format: .zpl, printer: "labels")

        let list = try await WaybillBinary.run(["labels", "list", "--json", "--config", fixture.configPath])
        #expect(list.status == .exited(0), "\(list.standardError)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.standardOutput.utf8)) as? [[String: Any]])
        #expect(Set(rows.compactMap { $0["label_id"] as? String }) == ["L-1", "L-2"])

        let noReason = try await WaybillBinary.run(["labels", "reprint", "L-1", "--config", fixture.configPath])
        #expect(noReason.status == .exited(64))
        let reprint = try await WaybillBinary.run(["labels", "reprint", "L-1", "--reason", "torn", "--json", "--config", fixture.configPath])
        #expect(reprint.status == .exited(0), "\(reprint.standardError)")
        let store = try WaybillStore.open(atPath: configuration.storePath)
        let recorded = try #require(try store.printJob(labelID: "L-1-R1"))
        #expect(recorded.reprintOf == "L-1" && recorded.reprintReason == "torn" && recorded.state == .spooled)
        #expect(recorded.attempts == 0 && recorded.cupsJobID == nil, "the CLI records the reprint; the running agent sends it")
        // A box label an address change replaced shows the old address: not printed again.
        try store.recordLabel(LabelToPrint(labelID: "L-2", orderID: "O-1", boxNo: 1, kind: .box, format: .zpl, bytes: []))
        try await DatabaseQueue(path: configuration.storePath).write { db in
            try db.execute(sql: "UPDATE labels SET replaced = 'conflict #1 (relabel)' WHERE id = 'L-2'")
        }
        let replaced = try await WaybillBinary.run(["labels", "reprint", "L-2", "--reason", "torn", "--config", fixture.configPath])
        #expect(replaced.status == .exited(64), "\(replaced.standardError)")
        #expect(replaced.standardError.contains("L-2 was replaced (conflict #1 (relabel))"), "\(replaced.standardError)")
        #expect(try store.printJob(labelID: "L-2-R1") == nil)

        let png = fixture.folder.file("preview.png")
        let preview = try await WaybillBinary.run(["labels", "preview", "L-1", "--png", png, "--config", fixture.configPath])
        #expect(preview.status == .exited(0), "\(preview.standardError)")
        let header = try Data(contentsOf: URL(fileURLWithPath: png)).prefix(4)
        #expect(Array(header) == [0x89, 0x50, 0x4E, 0x47])
        // A ZPL label too: the label's 812 x 1218 dots (IHDR's width and height).
        let zpl = try await WaybillBinary.run(["labels", "preview", "L-2", "--png", png, "--config", fixture.configPath])
        #expect(zpl.status == .exited(0), "\(zpl.standardError)")
        let image = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(Array(image.prefix(4)) == [0x89, 0x50, 0x4E, 0x47] && Array(image[16..<24]) == [0, 0, 3, 0x2C, 0, 0, 4, 0xC2])
    }
}
