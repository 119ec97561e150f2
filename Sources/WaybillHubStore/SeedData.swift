import Foundation
import WaybillCore

/// Deterministic, realistic seed data: the same seed always gives the same catalog and orders.
enum SeedData {
    static let locations = ["A", "B", "C"]

    /// The packing-bench box catalog plus a flat mailer: 12 boxes.
    static let boxes: [CentralAPI.BoxData] = [
        box("B01", [6, 6, 6], 0.3, 30, 0.51), box("B02", [8, 6, 4], 0.29, 30, 0.5), box("B03", [9, 7, 5], 0.4, 30, 0.59),
        box("B04", [10, 8, 6], 0.52, 30, 0.69), box("B05", [12, 9, 6], 0.64, 40, 0.79), box("B06", [12, 12, 8], 0.92, 40, 1.02),
        box("B07", [14, 10, 10], 1.03, 40, 1.12), box("B08", [16, 12, 10], 1.28, 65, 1.33), box("B09", [18, 14, 12], 1.71, 65, 1.7),
        box("B10", [20, 16, 14], 2.21, 65, 2.12), box("B11", [24, 18, 18], 3.17, 65, 2.93), box("B12", [12, 9, 2], 0.25, 20, 0.42),
    ]

    private static func box(_ id: String, _ inner: [Double], _ tare: Double, _ maxGross: Double, _ cost: Double) -> CentralAPI.BoxData {
        CentralAPI.BoxData(id: id, inner: inner, outer: inner.map { $0 + 0.25 }, tareLb: tare, maxGrossLb: maxGross, materialCost: cost)
    }

    static let rules = CentralAPI.RulesData(incompatibleClasses: [["food", "chem"]])

    private static let nouns = ["Mug", "Lamp", "Kettle", "Notebook", "Cable", "Speaker", "Blender", "Candle", "Drill", "Towel", "Helmet", "Vase"]
    private static let adjectives = ["Compact", "Deluxe", "Travel", "Classic", "Pro", "Mini", "Large", "Eco"]

    static func sku(index: Int, random: inout SeededRandom) -> CentralAPI.SKUData {
        let roll = Double.random(in: 0..<1, using: &random)
        let size = Double.random(in: 0..<1, using: &random)
        // Mostly small items, some medium, a few bulky ones; bulky ones still fit the largest box
        // (18 in at most) and stay under 45 lb, as a parcel warehouse's catalog does.
        let scale = size < 0.6 ? 1.0 : (size < 0.9 ? 2.0 : 3.0)
        let dims = (0..<3).map { _ in (Double.random(in: 1.5...6.0, using: &random) * scale * 10).rounded() / 10 }
        let volume = dims.reduce(1, *)
        let weight = min(45, max(0.1, (volume * Double.random(in: 0.004...0.02, using: &random) * 100).rounded() / 100))
        let mixClass = roll < 0.08 ? "food" : (roll < 0.14 ? "chem" : "general")
        return CentralAPI.SKUData(
            id: String(format: "SKU-%04d", index),
            name: "\(adjectives[index % adjectives.count]) \(nouns[(index / adjectives.count) % nouns.count])",
            dims: dims,
            weightLb: weight,
            location: locations[Int.random(in: 0..<3, using: &random)],
            shipAlone: roll > 0.96,
            keepUpright: mixClass == "food" ? Bool.random(using: &random) : roll > 0.9,
            mixClass: mixClass,
            barcodes: barcodes(index: index)
        )
    }

    /// A SKU's barcodes, from its index (the random stream is left alone, so the rest of the seed
    /// stays as it was): an EAN-13 in GS1's in-store range (prefix 20), and for every fifth SKU a
    /// GTIN-14 case of 6 units.
    static func barcodes(index: Int) -> [CentralAPI.SKUBarcode] {
        let payload = "20" + String(format: "%010d", index)
        var barcodes = [CentralAPI.SKUBarcode(code: GTIN.complete(payload)!, units: 1)]
        if index % 5 == 0 { barcodes.append(CentralAPI.SKUBarcode(code: GTIN.complete("1" + payload)!, units: 6)) }
        return barcodes
    }

    private static let names = [
        "Anna Müller", "José Álvarez", "Zoë Brontë", "Søren Kierkegaard", "李小龙", "Ólafur Arnalds", "Chloé Dubois",
        "Mohammed Al-Fayed", "Nguyễn Văn An", "Ærøskøbing Ltd", "John Smith", "Mary Johnson", "Łukasz Wójcik",
        "Ines Šimić", "Dvořák Hudba", "Σωκράτης", "Иван Петров", "Priya Raman", "Kofi Mensah", "María-José Núñez",
    ]
    /// Customer text that must never act as printer commands.
    static let hostileNames = [
        "Eve^FS^FO0,0^GB812,400,400^FS", "Mallory ~JA", "Back\\slash \\& Co", "Ctrl\u{1}\u{7}Char", "^XZ~JR^XA",
        "Tab\tNew\nLine", "(%%EOF) Tj ET", "_5E_7E underscores", "Nul\u{0}Byte", "~~~^^^",
    ]
    private static let streets = ["Main St", "Hauptstraße", "Rue de Rivoli", "Elm Ave", "Oak Lane", "Calle Mayor", "Dock Rd"]
    private static let cities = ["Springfield", "München", "Zürich", "Portland", "Québec", "Åre", "Austin", "Bristol"]

    static func address(random: inout SeededRandom) -> CentralAPI.Address {
        let hostile = Double.random(in: 0..<1, using: &random) < 0.06
        let name = hostile ? hostileNames.randomElement(using: &random)! : names.randomElement(using: &random)!
        return CentralAPI.Address(
            name: name,
            company: Bool.random(using: &random) ? nil : "\(names.randomElement(using: &random)!.split(separator: " ").last!) GmbH",
            street1: "\(Int.random(in: 1...999, using: &random)) \(streets.randomElement(using: &random)!)",
            street2: Int.random(in: 0..<5, using: &random) == 0 ? "Apt \(Int.random(in: 1...40, using: &random))" : nil,
            city: cities.randomElement(using: &random)!,
            region: ["CA", "NY", "TX", "OR", "WA", "IL"].randomElement(using: &random)!,
            postalCode: String(format: "%05d", Int.random(in: 1000...99_999, using: &random)),
            country: "US",
            phone: hostile ? "555-0100 ~JA" : "555-01\(Int.random(in: 10...99, using: &random))"
        )
    }

    /// An order for `stationID`, or for the warehouse pool (any station may claim it) when `stationID` is nil.
    static func order(number: Int, stationID: String?, skus: [String], maxLines: Int = 40, random: inout SeededRandom) -> CentralAPI.OrderData {
        // 1-40 lines, most orders small.
        let lineCount = min(maxLines, 1 + Int(pow(Double.random(in: 0..<1, using: &random), 3) * Double(maxLines)))
        var chosen: [String] = []
        while chosen.count < lineCount {
            let sku = skus[Int.random(in: 0..<skus.count, using: &random)]
            if !chosen.contains(sku) { chosen.append(sku) }
        }
        let lines = chosen.enumerated().map { index, sku in
            CentralAPI.Line(
                lineNo: index + 1,
                sku: sku,
                quantity: Int.random(in: 0..<10, using: &random) < 8 ? 1 : Int.random(in: 2...4, using: &random)
            )
        }
        let address = address(random: &random)
        let digit = Int(address.postalCode.prefix(1)) ?? 0
        return CentralAPI.OrderData(
            id: String(format: "O-%06d", number),
            state: OrderState.assigned.rawValue,
            stationID: stationID,
            claimedBy: nil,
            warehouse: "WH1",
            reference: "#\(100_000 + number)",
            serviceLevel: "cheapest",
            residential: address.company == nil,
            shipTo: address,
            lines: lines,
            zones: Dictionary(uniqueKeysWithValues: locations.enumerated().map { ($1, 2 + (digit + $0 * 3) % 7) }),
            contentVersion: 1
        )
    }
}
