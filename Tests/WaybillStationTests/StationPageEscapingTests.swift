import Foundation
import Logging
import Testing
import WaybillCore
import WaybillStore
import WaybillTestSupport

@testable import WaybillStation

/// Customer and catalogue text on the station's pages: every string of the hostile corpus, as the
/// ship-to name, company, city and SKU name, leaves the page's markup exactly as a plain name does.
@Suite struct StationPageEscapingTests {
    /// A store holding order O-1 (two units of SKU-1, packed in one box) with `text` in its customer
    /// fields and the SKU's name.
    static func screen(text: String) throws -> (StationScreen, TemporaryDirectory) {
        let (folder, store) = try WaybillStore.fixture()
        let address = CentralAPI.Address(name: text, company: text, street1: "1", city: text, region: "R", postalCode: "1", country: "US")
        let order = CentralAPI.OrderData(
            id: "O-1",
            state: "assigned",
            stationID: "station-1",
            claimedBy: nil,
            warehouse: "W",
            reference: "#1",
            serviceLevel: "ground",
            residential: true,
            shipTo: address,
            lines: [.init(lineNo: 1, sku: "SKU-1", quantity: 2)],
            zones: ["A": 4],
            contentVersion: 1
        )
        func json(_ value: some Encodable) throws -> String { String(decoding: try JSONEncoder().encode(value), as: UTF8.self) }
        _ = try store.applyPulledBatch(
            [
                PulledChange(entity: "order", id: "O-1", version: 1, op: "upsert", data: try json(order), fields: ["state": "assigned"]),
                try .sampleSKU("SKU-1", name: text, barcode: "4006381333931"),
            ],
            cursor: "1.2"
        )
        var box = PlannedBox.sample(1)
        box.items.append(PackingSolution.Placement(id: "1-2", pos: [4, 0, 0], dims: [4, 3, 2]))
        try store.recordShipment(orderID: "O-1", boxes: [box], plannedBy: "station")
        return (StationScreen(store: store, logger: Logger(label: "test")) { _ in }, folder)
    }

    static let packer = StationSessions.SignIn(name: "ana", supervisor: false, csrf: "token", named: true)

    /// The page's markup: every tag with its attribute names, in order (quoted values and text left out).
    static func skeleton(_ html: String) -> [String] {
        html.split(separator: "<").dropFirst().map { tag in
            let inside = tag.prefix { $0 != ">" }.replacing(/"[^"]*"/, with: "")
            return inside.split(separator: " ").map { $0.split(separator: "=").first.map(String.init) ?? "" }.joined(separator: " ")
        }
    }

    @Test func everyHostileString_leavesThePackViewsMarkupAsAPlainNameDoes() throws {
        let (plain, plainFolder) = try Self.screen(text: "Anna Müller")
        _ = plainFolder
        let session = try plain.store.packSession(orderID: "O-1")
        let expected = Self.skeleton(plain.render(session: session, who: Self.packer, message: (text: "Anna Müller", tone: "info")))
        #expect(expected.count > 40)
        var checked = 0
        for text in HostileStrings.all {
            let (screen, folder) = try Self.screen(text: text)
            _ = folder
            let page = screen.render(session: try screen.store.packSession(orderID: "O-1"), who: Self.packer, message: (text: text, tone: "info"))
            #expect(Self.skeleton(page) == expected, "the markup changed with \(text.debugDescription)")
            if text.contains("<") || text.contains("\"") { #expect(!page.contains(text), "\(text.debugDescription) reached the page unescaped") }
            checked += 1
        }
        #expect(checked == HostileStrings.all.count)
    }
}
