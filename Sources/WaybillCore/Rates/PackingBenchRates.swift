extension RateModel {
    /// packing-bench's simulated rate model (`rates.json`, built by `packbench/rates.py`): the ground
    /// service with daily rates (divisor 139, nearest inch) and the postal service with its legacy rules
    /// (divisor 166, nearest inch, DIM above 1728 in3), each with its published zone x weight table.
    /// The default when no rate file is given; amounts are invented, the rules follow carrier rules.
    public static let packingBench = RateModel(services: [
        .benchService(
            code: "SIM_GROUND",
            divisor: 139,
            threshold: 0,
            maxWeight: 150,
            maxLength: 108,
            maxLengthGirth: 165,
            base: [10.20, 10.55, 10.95, 11.30, 11.65, 12.10, 12.60],
            perLb: [0.55, 0.70, 0.90, 1.10, 1.30, 1.50, 1.75],
            fees: (residential: 5.55, fuel: 0.155, dims: 28, weight: 45, large: 210, len22: 0, len30: 0, volume: 0)
        ),
        .benchService(
            code: "SIM_POSTAL",
            divisor: 166,
            threshold: 1728,
            maxWeight: 70,
            maxLength: 130,
            maxLengthGirth: 130,
            base: [5.40, 5.75, 6.20, 6.75, 7.40, 8.10, 8.90],
            perLb: [0.60, 0.85, 1.15, 1.45, 1.75, 2.05, 2.40],
            fees: (residential: 0, fuel: 0, dims: 0, weight: 0, large: 0, len22: 4, len30: 15, volume: 25)
        ),
    ])
}

extension RateService {
    typealias BenchFees = (
        residential: Double, fuel: Double, dims: Double, weight: Double, large: Double, len22: Double, len30: Double, volume: Double
    )

    /// A packing-bench service for zones 2...8 (`base` and `perLb` in zone order), with its table.
    static func benchService(
        code: String,
        divisor: Double,
        threshold: Double,
        maxWeight: Int,
        maxLength: Double,
        maxLengthGirth: Double,
        base: [Double],
        perLb: [Double],
        fees: BenchFees
    ) -> RateService {
        let zones = Array(2...8)
        var service = RateService(
            code: code,
            dimDivisor: divisor,
            dimThresholdCubicInches: threshold,
            dimRounding: .nearest,
            maxWeightLb: Double(maxWeight),
            maxLengthIn: maxLength,
            maxLengthGirthIn: maxLengthGirth,
            base: Dictionary(uniqueKeysWithValues: zip(zones.map(String.init), base)),
            perLb: Dictionary(uniqueKeysWithValues: zip(zones.map(String.init), perLb)),
            curvature: 0.97,
            residentialFee: fees.residential,
            fuelPct: fees.fuel,
            additionalHandlingDimsFee: fees.dims,
            additionalHandlingWeightFee: fees.weight,
            largePackageFee: fees.large,
            largePackageMinBillable: 90,
            nonstandardLength22Fee: fees.len22,
            nonstandardLength30Fee: fees.len30,
            nonstandardVolumeFee: fees.volume,
            table: nil
        )
        let weights = Array(1...maxWeight)
        service.table = RateTable(
            zones: zones,
            weightsLb: weights,
            rates: weights.map { weight in zones.map { service.tableRate(billableLb: weight, zone: $0) } }
        )
        return service
    }
}
