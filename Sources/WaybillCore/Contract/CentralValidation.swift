public import Foundation

/// The contract's checks of one entity's data beyond its JSON grammar: it decodes as its type, its
/// identifiers match ``CentralIdentifier`` and its numbers are in range. Run at the edge, before the
/// replica, for every entity but orders (SKUs, stock, boxes, labels, rules, rate tables: each
/// decoded, a few microseconds); orders, the bulk of a resync, are checked by the feed parser as
/// it reads them. Run on orders too over the rows already in the replica (those that keep their
/// data: not stock, whose count is a column).
public enum CentralValidation {
    /// Physical sizes in inches and weights in pounds a parcel station can handle.
    public static let dimension = 0.01...200.0
    public static let weight = 0.001...2_000.0
    /// A cost or price in the shop's currency.
    public static let money = 0.0...100_000.0

    /// Why the data of a change of entity `entity` breaks the contract, or nil when it keeps it (or
    /// the entity is not one checked here). The data must be the entity the change names: its id (a
    /// label's `label_id`, a stock's `sku@location`) is `id`, when given.
    public static func problem(entity: String, id: String? = nil, data: Data) -> String? {
        do {
            switch entity {
            case "order":
                return orderProblem(try JSONDecoder().decode(CentralAPI.OrderData.self, from: data), id: id)
            case "sku":
                let sku = try JSONDecoder().decode(CentralAPI.SKUData.self, from: data)
                return mismatch(sku.id, id) ?? CentralIdentifier.problem(sku.id).map { "its id \($0)" }
                    ?? outside(sku.dims, dimension, "dims", count: 3) ?? outside([sku.weightLb], weight, "weight_lb")
                    ?? barcodeProblem(sku.barcodes)
            case "stock":
                let stock = try JSONDecoder().decode(CentralAPI.StockData.self, from: data)
                return mismatch("\(stock.sku)@\(stock.location)", id) ?? CentralIdentifier.problem(stock.sku).map { "its sku \($0)" }
                    ?? outside(stock.quantity, CentralLimits.stockQuantity, "quantity")
            case "label":
                let label = try JSONDecoder().decode(CentralAPI.LabelData.self, from: data)
                return mismatch(label.labelID, id) ?? labelProblem(label)
            case "box":
                let box = try JSONDecoder().decode(CentralAPI.BoxData.self, from: data)
                return mismatch(box.id, id) ?? CentralIdentifier.problem(box.id).map { "its id \($0)" }
                    ?? outside(box.inner, dimension, "inner", count: 3) ?? outside(box.outer, dimension, "outer", count: 3)
                    ?? outside([box.tareLb, box.maxGrossLb], weight, "tare_lb and max_gross_lb")
                    ?? outside([box.materialCost], money, "material_cost")
            case "rules":
                _ = try JSONDecoder().decode(CentralAPI.RulesData.self, from: data)
            case "rate_table":
                return rateTableProblem(try JSONDecoder().decode(RateModel.self, from: data))
            default:
                return nil
            }
            return nil
        } catch {
            return "its data does not match the contract: \(error)"
        }
    }

    /// Why an entity whose data names it `named` cannot be the change's entity `id`, or nil.
    public static func mismatch(_ named: String, _ id: String?) -> String? {
        guard let id, named != id else { return nil }
        // Only an identifier is repeated in the reason (it reaches terminals and pages).
        let shown = CentralIdentifier.problem(named) == nil ? "'\(named)'" : "an id that is not an identifier"
        return "its data names \(shown), not the change's id '\(id)'"
    }

    /// Units one case barcode may count.
    public static let caseUnits = 1...10_000

    /// Why a SKU's barcodes break the contract: a code that is not a GTIN with a valid check digit,
    /// a unit count out of range, or one code listed twice.
    static func barcodeProblem(_ barcodes: [CentralAPI.SKUBarcode]) -> String? {
        if let bad = barcodes.first(where: { !GTIN.isValid($0.code) }) {
            return "barcode '\(bad.code.prefix(32))' is not a GTIN-8, UPC-A, EAN-13 or GTIN-14 with a valid check digit"
        }
        if let bad = barcodes.first(where: { !caseUnits.contains($0.units) }) {
            return "barcode \(bad.code) counts \(bad.units) units; it must count \(caseUnits.lowerBound)...\(caseUnits.upperBound)"
        }
        // Compared as a scan is looked up: a UPC-A and its EAN-13 form (a leading 0) are one code,
        // which may be listed in both forms (a storefront matches the form it holds) but must count
        // the same units in both.
        var units: [String: Int] = [:]
        for barcode in barcodes {
            let key = PackVerification.key(barcode.code)
            if let earlier = units[key], earlier != barcode.units {
                return "barcode \(barcode.code) is listed twice, counting \(earlier) and \(barcode.units) units"
            }
            units[key] = barcode.units
        }
        if Set(barcodes.map(\.code)).count != barcodes.count { return "a barcode is listed twice" }
        return nil
    }

    /// Why a carrier label breaks the contract: an id that is not an identifier (both end up in
    /// spool file names and CUPS job names), a box number below 1, a cost out of range, or a format
    /// other than `zpl` or `pdf` or without a document of that format (the one printed; another
    /// document beside it is ignored).
    static func labelProblem(_ label: CentralAPI.LabelData) -> String? {
        if let invalid = CentralIdentifier.problem(label.labelID) { return "its label_id \(invalid)" }
        if let invalid = CentralIdentifier.problem(label.orderID) { return "its order_id \(invalid)" }
        if label.boxNo < 1 { return "box_no \(label.boxNo) must be 1 or more" }
        if let outside = outside([label.cost], money, "cost") { return outside }
        switch label.format {
        case "zpl":
            guard let zpl = label.zpl else { return "a zpl label needs its zpl" }
            return CarrierLabelDocument.isZPL(zpl) ? nil : "its zpl is not a ZPL program (it must start with ^XA, or ~ commands then ^XA)"
        case "pdf":
            guard let base64 = label.pdfBase64 else { return "a pdf label needs its pdf_base64" }
            // Decoded as the station decodes it to print (no line breaks).
            guard let document = Data(base64Encoded: base64), CarrierLabelDocument.isPDF(Array(document)) else {
                return "its pdf_base64 is not a PDF in base64 without line breaks"
            }
            return nil
        default:
            return "format \(label.format.prefix(16).debugDescription) must be zpl or pdf"
        }
    }

    static func outside(_ value: Int, _ range: ClosedRange<Int>, _ field: String) -> String? {
        range.contains(value) ? nil : "\(field) \(value) is outside \(range.lowerBound)...\(range.upperBound)"
    }

    static func outside(_ values: [Double], _ range: ClosedRange<Double>, _ field: String, count: Int? = nil) -> String? {
        if let count, values.count != count { return "\(field) must have \(count) numbers" }
        guard let bad = values.first(where: { !range.contains($0) }) else { return nil }
        return "\(field) \(bad) is outside \(range.lowerBound)...\(range.upperBound)"
    }
}
