#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Prices parcels with the services of a rate file (`binpack-lab/rates/v1`).
///
/// The rules follow published carrier rules (see `packbench/rates.py`, the normative definition):
/// dimensions rounded per service, dimensional weight above a threshold, actual weight rounded up
/// to the next pound, large-package minimum and surcharges, additional handling, residential and
/// fuel for ground; non-standard length and volume fees for postal.
public struct RateModel: Codable, Sendable, Hashable {
    public var services: [RateService]

    public init(services: [RateService]) {
        self.services = services
    }

    /// The quote of every service that can carry the parcel.
    public func quotes(outerDims: [Double], grossLb: Double, zone: Int, residential: Bool) -> [RateQuote] {
        services.compactMap { $0.quote(outerDims: outerDims, grossLb: grossLb, zone: zone, residential: residential) }
    }

    /// The cheapest quote, or `nil` when no service can carry the parcel.
    public func best(outerDims: [Double], grossLb: Double, zone: Int, residential: Bool) -> RateQuote? {
        quotes(outerDims: outerDims, grossLb: grossLb, zone: zone, residential: residential).min { $0.total < $1.total }
    }
}

/// The price of one parcel with one service.
public struct RateQuote: Codable, Sendable, Hashable {
    public var service: String
    public var zone: Int
    public var billableLb: Int
    public var dimWeightLb: Int
    public var actualLb: Int
    public var base: Double
    public var surcharges: [String: Double]
    public var total: Double

    enum CodingKeys: String, CodingKey {
        case service, zone
        case billableLb = "billable_lb"
        case dimWeightLb = "dim_weight_lb"
        case actualLb = "actual_lb"
        case base, surcharges, total
    }
}

extension RateService {
    /// The table price of `billableLb` pounds to `zone`: the published cell when the table has it.
    public func tableRate(billableLb: Int, zone: Int) -> Double {
        let weight = max(1, billableLb)
        if let table, let row = table.weightsLb.firstIndex(of: weight), let column = table.zones.firstIndex(of: zone),
            row < table.rates.count, column < table.rates[row].count
        {
            return table.rates[row][column]
        }
        let key = String(zone)
        return Money.cents((base[key] ?? 0) + (perLb[key] ?? 0) * Money.power(Double(weight - 1), curvature))
    }

    /// The quote for a parcel, or `nil` when this service cannot carry it.
    public func quote(outerDims: [Double], grossLb: Double, zone: Int, residential: Bool) -> RateQuote? {
        let rounded = outerDims.map { dimRounding == .nearest ? Self.roundHalfUp($0) : Self.roundUp($0) }.sorted(by: >)
        guard rounded.count == 3 else { return nil }
        let length = max(rounded[0], 1), width = max(rounded[1], 1), height = max(rounded[2], 1)
        let girth = 2 * (width + height)
        let actual = max(1, Self.roundUp(grossLb))
        guard grossLb <= maxWeightLb, Double(length) <= maxLengthIn, Double(length + girth) <= maxLengthGirthIn else { return nil }
        let cubic = length * width * height
        let dim = Double(cubic) > dimThresholdCubicInches ? Self.roundUp(Double(cubic) / dimDivisor) : 0
        var billable = max(actual, dim, 1)
        // Surcharges in the reference model's order: its sums run in that order, and so does the rounding.
        var fees: [(name: String, amount: Double)] = []
        if isGround {
            if length + girth > 130 || length > 96 {
                billable = max(billable, largePackageMinBillable)
                fees.append(("large_package", largePackageFee))
            } else if grossLb > 50 {
                fees.append(("additional_handling_weight", additionalHandlingWeightFee))
            } else if length > 48 || width > 30 || length + girth > 105 {
                fees.append(("additional_handling_dims", additionalHandlingDimsFee))
            }
            if residential { fees.append(("residential", residentialFee)) }
        } else {
            if length > 30 {
                fees.append(("nonstandard_length_30", nonstandardLength30Fee))
            } else if length > 22 {
                fees.append(("nonstandard_length_22", nonstandardLength22Fee))
            }
            if cubic > 3456 { fees.append(("nonstandard_volume_2cuft", nonstandardVolumeFee)) }
        }
        guard Double(billable) <= maxWeightLb else { return nil }
        let basePrice = tableRate(billableLb: billable, zone: zone)
        if fuelPct > 0 { fees.append(("fuel", Money.cents((basePrice + fees.reduce(0) { $0 + $1.amount }) * fuelPct))) }
        return RateQuote(
            service: code,
            zone: zone,
            billableLb: billable,
            dimWeightLb: dim,
            actualLb: actual,
            base: basePrice,
            surcharges: Dictionary(fees, uniquingKeysWith: +),
            total: Money.cents(basePrice + fees.reduce(0) { $0 + $1.amount })
        )
    }

    /// Rounds to the nearest whole number, halves up (12.5 in -> 13 in).
    static func roundHalfUp(_ value: Double) -> Int { Int((value + 0.5 + 1e-9).rounded(.down)) }

    /// Rounds up to the next whole number, ignoring float noise (50.000000001 lb -> 50 lb).
    static func roundUp(_ value: Double) -> Int { Int((value - 1e-9).rounded(.up)) }
}

/// Money arithmetic helpers: amounts are dollars rounded to cents.
public enum Money {
    /// Rounds to cents as the reference model's `round(x, 2)` does: by the exact value of the double, an
    /// exact half to even. `value * 100` can itself round onto a half (1.115 * 100 == 111.5 although 1.115
    /// is stored as 1.11499...), so a product that lands on a half is settled by the product's exact error.
    public static func cents(_ value: Double) -> Double {
        let scaled = value * 100
        let floor = scaled.rounded(.down)
        guard scaled - floor == 0.5 else { return scaled.rounded(.toNearestOrEven) / 100 }
        let error = (-scaled).addingProduct(value, 100)  // value * 100 - scaled, exactly (fused)
        if error > 0 { return (floor + 1) / 100 }
        if error < 0 { return floor / 100 }
        return scaled.rounded(.toNearestOrEven) / 100
    }

    /// `base` raised to `exponent`, for non-negative bases.
    static func power(_ base: Double, _ exponent: Double) -> Double {
        base > 0 ? pow(base, exponent) : 0
    }
}
