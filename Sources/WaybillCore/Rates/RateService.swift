/// One carrier service of a rate table, as the central API and `rates.json` describe it.
///
/// Field names follow the `binpack-lab/rates/v1` schema. Amounts are dollars, lengths inches,
/// weights pounds.
public struct RateService: Codable, Sendable, Hashable {
    public var code: String
    /// Dimensional-weight divisor (139 daily rates, 166 retail).
    public var dimDivisor: Double
    /// Dimensional weight only applies above this many cubic inches.
    public var dimThresholdCubicInches: Double
    /// How outer dimensions round to whole inches before pricing.
    public var dimRounding: DimensionRounding
    public var maxWeightLb: Double
    public var maxLengthIn: Double
    public var maxLengthGirthIn: Double
    /// Zone (as text, "2"..."8") to the price of one pound.
    public var base: [String: Double]
    /// Zone to the marginal price per extra pound.
    public var perLb: [String: Double]
    public var curvature: Double
    public var residentialFee: Double
    public var fuelPct: Double
    public var additionalHandlingDimsFee: Double
    public var additionalHandlingWeightFee: Double
    public var largePackageFee: Double
    public var largePackageMinBillable: Int
    public var nonstandardLength22Fee: Double
    public var nonstandardLength30Fee: Double
    public var nonstandardVolumeFee: Double
    /// The published zone x weight table, when the rate file carries one.
    public var table: RateTable?

    /// The rounding of dimensions to whole inches.
    public enum DimensionRounding: String, Codable, Sendable, Hashable {
        /// To the nearest inch, x.50 up (ground carriers).
        case nearest
        /// Up to the next inch (the 2025/26 postal rule).
        case up
    }

    /// Whether this service follows the ground carriers' surcharge rules (large package, additional
    /// handling, residential) rather than the postal ones (non-standard length and volume).
    public var isGround: Bool { largePackageFee > 0 || additionalHandlingDimsFee > 0 || residentialFee > 0 }

    enum CodingKeys: String, CodingKey {
        case code
        case dimDivisor = "dim_divisor"
        case dimThresholdCubicInches = "dim_threshold_cuin"
        case dimRounding = "dim_rounding"
        case maxWeightLb = "max_weight_lb"
        case maxLengthIn = "max_length_in"
        case maxLengthGirthIn = "max_length_girth_in"
        case base
        case perLb = "per_lb"
        case curvature
        case residentialFee = "residential_fee"
        case fuelPct = "fuel_pct"
        case additionalHandlingDimsFee = "ah_dims_fee"
        case additionalHandlingWeightFee = "ah_weight_fee"
        case largePackageFee = "large_pkg_fee"
        case largePackageMinBillable = "large_pkg_min_billable"
        case nonstandardLength22Fee = "nonstd_len_22_fee"
        case nonstandardLength30Fee = "nonstd_len_30_fee"
        case nonstandardVolumeFee = "nonstd_vol_2cuft_fee"
        case table
    }
}

/// A published zone x weight price table.
public struct RateTable: Codable, Sendable, Hashable {
    public var zones: [Int]
    public var weightsLb: [Int]
    /// `rates[w][z]`: the price of `weightsLb[w]` pounds to `zones[z]`.
    public var rates: [[Double]]

    enum CodingKeys: String, CodingKey {
        case zones
        case weightsLb = "weights_lb"
        case rates
    }
}
