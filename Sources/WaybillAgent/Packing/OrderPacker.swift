import Foundation
import WaybillCore
import WaybillStore
import WaybillSync

/// Plans a replica order's boxes and stores the plan with its outbox entries: what `waybill pack
/// ORDER_ID` and the autonomous station mode run.
struct OrderPacker: Sendable {
    let store: WaybillStore
    /// Time the planner may search for cheaper plans, per order.
    var budget: Duration = .milliseconds(50)
    /// The rate model when the replica has no rate table yet (packing-bench's model).
    var fallbackRates: RateModel = .packingBench
    /// The label provider's live prices; without them every box is priced from the rate table.
    var liveRates: LiveRates?

    /// A plan for an order, before it is stored.
    struct Plan: Sendable {
        let instance: PackingInstance
        let solution: PackingSolution
        let boxes: [PlannedBox]
        var totalCost: Double { boxes.reduce(0) { $0 + $1.postage + $1.materialCost } }
    }

    /// Plans an order of the replica without storing anything. The rate table decides the boxes
    /// and what goes in each; then, with ``liveRates``, each box goes by the service the label
    /// provider prices lowest now, at that price (a box it cannot price keeps the table's).
    ///
    /// - Throws: ``PackError`` when the order cannot be planned (missing SKUs, no box fits a unit).
    func plan(orderID: String) async throws -> Plan {
        let inputs = try store.packingInputs(orderID: orderID)
        let instance: PackingInstance
        do {
            instance = try PackingInstance(order: inputs.order, skus: inputs.skus, boxes: inputs.boxes, rules: inputs.rules)
        } catch {
            throw PackError(.unplannable, path: "", "order \(orderID): \(error)")
        }
        let rates = inputs.rates ?? fallbackRates
        let solution = PackingPlanner(rates: rates, budget: budget).plan(instance)
        guard solution.unpacked.isEmpty else {
            throw PackError(
                .unplannable,
                path: "",
                "order \(orderID): no box and service can carry unit(s) \(solution.unpacked.joined(separator: ", ")); pack them by hand"
            )
        }
        var misses: [(key: QuoteKey, quote: RateQuote)] = []
        let boxes = try solution.boxes.enumerated().map { index, packed in
            try plannedBox(number: index + 1, packed, instance: instance, rates: rates, tableVersion: inputs.rateTableVersion ?? 0, misses: &misses)
        }
        // One commit for the plan's new quotes, not a durable commit per service and box.
        try store.cacheQuotes(misses)
        guard let liveRates else { return Plan(instance: instance, solution: solution, boxes: boxes) }
        let priced = await Self.livePriced(boxes, shipTo: inputs.order.shipTo, rates: rates, residential: instance.residential, live: liveRates)
        return Plan(instance: instance, solution: solution, boxes: priced)
    }

    /// Each box carried by the service the provider prices lowest, at that price, when the provider
    /// priced it; else as the rate table planned it. Parcels are priced at once, each alike one once.
    private static func livePriced(_ boxes: [PlannedBox], shipTo: CentralAPI.Address, rates: RateModel, residential: Bool, live: LiveRates) async
        -> [PlannedBox]
    {
        var parcels: [String: RateParcel] = [:]
        let keys = boxes.map { box in
            let parcel = RateParcel(
                shipTo: shipTo,
                residential: residential,
                dims: box.outerDims,
                weightLb: box.grossLb,
                services: rates.services.map(\.code)
            )
            parcels[parcel.key] = parcel
            return parcel.key
        }
        let prices = await withTaskGroup(of: (String, [String: Double]?).self) { group in
            for (key, parcel) in parcels { group.addTask { (key, await live.prices(of: parcel)) } }
            var prices: [String: [String: Double]] = [:]
            for await (key, answer) in group { prices[key] = answer }
            return prices
        }
        return zip(boxes, keys).map { box, key in
            guard let prices = prices[key] else { return box }
            // Among the services the rate table says can carry the box (its billable weight comes
            // from there), the lowest live price; of equal prices the first by name, so a plan never
            // flips between them.
            let carrying = prices.compactMap { service, price -> (service: String, price: Double, billableLb: Int)? in
                rates.services.first { $0.code == service }?
                    .quote(outerDims: box.outerDims, grossLb: box.grossLb, zone: box.zone, residential: residential)
                    .map { (service, price, $0.billableLb) }
            }
            guard let best = carrying.min(by: { ($0.price, $0.service) < ($1.price, $1.service) }) else { return box }
            var priced = box
            priced.service = best.service
            priced.postage = best.price
            priced.billableLb = best.billableLb
            return priced
        }
    }

    @discardableResult
    func pack(orderID: String, plannedBy: String, replan: Bool = false, now: Date = Date()) async throws -> Shipment {
        let plan = try await plan(orderID: orderID)
        return try store.recordShipment(orderID: orderID, boxes: plan.boxes, plannedBy: plannedBy, replan: replan, now: now).shipment
    }

    /// A packed box priced with the cheapest service, its quotes read through the quote cache.
    private func plannedBox(
        number: Int,
        _ packed: PackingSolution.PackedBox,
        instance: PackingInstance,
        rates: RateModel,
        tableVersion: Int,
        misses: inout [(key: QuoteKey, quote: RateQuote)]
    ) throws -> PlannedBox {
        guard let box = instance.boxes.first(where: { $0.id == packed.boxID }) else {
            throw PackError(.invalidInstance, path: "", "the plan names box \(packed.boxID), which is not in the catalog")
        }
        let items = packed.items.compactMap { placement in instance.items.first { $0.id == placement.id } }
        let location = items.first?.location ?? ""
        let zone = instance.zoneByLocation[location] ?? 5
        let gross = box.tareLb + items.reduce(0) { $0 + $1.weightLb }
        guard
            let quote = try cheapestQuote(
                rates: rates,
                outer: box.outer,
                grossLb: gross,
                zone: zone,
                residential: instance.residential,
                tableVersion: tableVersion,
                misses: &misses
            )
        else {
            throw PackError(.unplannable, path: "", "no service carries box \(box.id) at \(gross) lb to zone \(zone)")
        }
        return PlannedBox(
            boxNo: number,
            boxID: box.id,
            outerDims: box.outer,
            location: location,
            service: quote.service,
            zone: zone,
            grossLb: gross,
            billableLb: quote.billableLb,
            postage: quote.total,
            materialCost: box.materialCost,
            items: packed.items
        )
    }

    /// The cheapest quote for a parcel; each service's quote comes from the cache when it holds one, and
    /// the ones it lacked are added to `misses` for the caller to store together.
    private func cheapestQuote(
        rates: RateModel,
        outer: [Double],
        grossLb: Double,
        zone: Int,
        residential: Bool,
        tableVersion: Int,
        misses: inout [(key: QuoteKey, quote: RateQuote)]
    ) throws -> RateQuote? {
        let dims = outer.map { String(format: "%.2f", $0) }.joined(separator: "x")
        let weight = String(format: "%.3f", grossLb)
        var best: RateQuote?
        for service in rates.services {
            let key = QuoteKey(
                service: service.code,
                zone: zone,
                billableLb: Int(grossLb.rounded(.up)),
                dims: dims + "@" + weight,
                flags: residential ? "residential" : "",
                tableVersion: tableVersion
            )
            let quote: RateQuote?
            if let cached = try store.cachedQuote(key) {
                quote = cached
            } else if let fresh = service.quote(outerDims: outer, grossLb: grossLb, zone: zone, residential: residential) {
                misses.append((key, fresh))
                quote = fresh
            } else {
                quote = nil
            }
            if let quote, quote.total < best?.total ?? .infinity { best = quote }
        }
        return best
    }
}
