extension CentralValidation {
    /// The most a parcel of any service may weigh or measure, and a dimensional divisor's range.
    static let parcelWeight = 0.001...2_000.0
    static let parcelLength = 1.0...1_000.0
    static let dimDivisor = 1.0...100_000.0
    static let cubicInches = 0.0...10_000_000.0
    /// A fuel surcharge is a share of the price, and a price grows with weight at most this steeply.
    static let share = 0.0...1.0
    static let curvature = 0.0...4.0

    /// Why a rate table would misprice parcels or stop the planner, or nil. A table that decodes can
    /// still hold a dimensional divisor of 0 (a division by zero in every quote), negative fees or a
    /// zone without a price that make a service the cheapest, or no service at all.
    static func rateTableProblem(_ model: RateModel) -> String? {
        guard !model.services.isEmpty else { return "it has no services" }
        var codes: Set<String> = []
        for service in model.services {
            if let invalid = CentralIdentifier.problem(service.code) { return "a service's code \(invalid)" }
            guard codes.insert(service.code).inserted else { return "service \(service.code) is listed twice" }
            if let problem = serviceProblem(service) { return "service \(service.code): \(problem)" }
        }
        return nil
    }

    private static func serviceProblem(_ service: RateService) -> String? {
        let fees: [(String, Double)] = [
            ("residential_fee", service.residentialFee), ("ah_dims_fee", service.additionalHandlingDimsFee),
            ("ah_weight_fee", service.additionalHandlingWeightFee), ("large_pkg_fee", service.largePackageFee),
            ("nonstd_len_22_fee", service.nonstandardLength22Fee), ("nonstd_len_30_fee", service.nonstandardLength30Fee),
            ("nonstd_vol_2cuft_fee", service.nonstandardVolumeFee),
        ]
        let checks: [() -> String?] = [
            { outside([service.dimDivisor], dimDivisor, "dim_divisor") },
            { outside([service.dimThresholdCubicInches], cubicInches, "dim_threshold_cuin") },
            { outside([service.maxWeightLb], parcelWeight, "max_weight_lb") },
            { outside([service.maxLengthIn, service.maxLengthGirthIn], parcelLength, "max_length_in and max_length_girth_in") },
            { fees.lazy.compactMap { outside([$0.1], money, $0.0) }.first },
            { outside([service.fuelPct], share, "fuel_pct") },
            { outside([service.curvature], curvature, "curvature") },
            { outside(service.largePackageMinBillable, 0...Int(parcelWeight.upperBound), "large_pkg_min_billable") },
            { zonePrices(service.base, "base") },
            { zonePrices(service.perLb, "per_lb") },
            { service.table.flatMap(tableProblem) },
        ]
        return checks.lazy.compactMap { $0() }.first
    }

    /// Prices by zone: one for each zone the contract knows ("2" to "8", written as a rate lookup
    /// writes them), each in range. A zone left out would be priced at nothing, the cheapest.
    private static func zonePrices(_ prices: [String: Double], _ field: String) -> String? {
        let zones = CentralLimits.zone.map(String.init)
        if let key = prices.keys.sorted().first(where: { !zones.contains($0) }) {
            return "\(field) names zone \(key.prefix(8).debugDescription); zones are \(zones.joined(separator: ", "))"
        }
        if let missing = zones.first(where: { prices[$0] == nil }) { return "\(field) has no price for zone \(missing)" }
        return outside(zones.compactMap { prices[$0] }, money, field)
    }

    /// A published table: its zones and weights in range, one price per zone and weight.
    private static func tableProblem(_ table: RateTable) -> String? {
        if let zone = table.zones.first(where: { !CentralLimits.zone.contains($0) }) {
            return "its table's zone \(zone) is outside \(CentralLimits.zone.lowerBound)...\(CentralLimits.zone.upperBound)"
        }
        if let weight = table.weightsLb.first(where: { !(1...Int(parcelWeight.upperBound)).contains($0) }) {
            return "its table's weight \(weight) lb is outside 1...\(Int(parcelWeight.upperBound))"
        }
        guard table.rates.count == table.weightsLb.count, table.rates.allSatisfy({ $0.count == table.zones.count }) else {
            return "its table must have one row per weight and one price per zone in each"
        }
        return outside(table.rates.flatMap { $0 }, money, "a table price")
    }
}
