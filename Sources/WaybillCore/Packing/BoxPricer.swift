/// The cost of one packed box: the cheapest service's quote for its outer dimensions and gross weight to a
/// zone, plus its material. Memoised by what the quote depends on (box, zone, whole pounds, and whether the
/// weight is above the whole pound), so repeated prices cost a lookup.
struct BoxPricer: Sendable {
    struct Key: Hashable {
        var box: Int
        var zone: Int
        var pounds: Int
        var aboveWholePound: Bool
    }

    let boxes: [PackingInstance.Box]
    let rates: RateModel
    let residential: Bool
    private var cache: [Key: Double] = [:]

    init(boxes: [PackingInstance.Box], rates: RateModel, residential: Bool) {
        self.boxes = boxes
        self.rates = rates
        self.residential = residential
    }

    /// The box's cost with `contentsLb` of items inside, or `nil` when it is over the box's maximum or no
    /// service carries it. `contentsLb` is summed in the plan's item order, as the checkers sum it.
    mutating func cost(box index: Int, contentsLb: Double, zone: Int) -> Double? {
        let box = boxes[index]
        let gross = contentsLb + box.tareLb
        guard gross <= box.maxGrossLb + 1e-9 else { return nil }
        let pounds = RateService.roundUp(gross)
        let key = Key(box: index, zone: zone, pounds: pounds, aboveWholePound: gross > Double(pounds))
        if let cached = cache[key] { return cached.isFinite ? cached : nil }
        let quote = rates.best(outerDims: box.outer, grossLb: gross, zone: zone, residential: residential)
        let cost = quote.map { Money.cents($0.total + box.materialCost) } ?? .infinity
        cache[key] = cost
        return cost.isFinite ? cost : nil
    }
}
