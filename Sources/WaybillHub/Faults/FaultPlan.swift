/// Which faults the hub injects, parsed from a spec such as `mixed:0.3` or `ops:503:0.2,changes:truncate:0.1,bucket`.
///
/// Grammar, comma-separated items:
/// - `mixed:P[:MS]`: on every endpoint, with probability P, one fault drawn uniformly from the kinds that
///   apply there; MS is the latency;
/// - `ENDPOINT:KIND:P[:MS]`: on `ENDPOINT` (`auth`, `changes`, `ops`, `labels`, `rates` or `*`) the fault
///   `KIND` (`500`, `502`, `503`, `429`, `latency`, `drop`, `reset`, `truncate`, `hang`, `duplicates`,
///   `drift`, `lost`) with probability P; MS is the latency or hang time in milliseconds;
/// - `hang=MS`: how long a hang lasts before the connection is dropped, for a `mixed` rule and for an
///   `ENDPOINT:hang:P` rule without its own MS (default 10 s,
///   longer than any sensible client timeout: a hang is there to make the client's timeout fire);
/// - `bucket` (or `bucket=BURST/RATE`): a leaky-bucket rate limit (burst 40, 2 requests/s by default)
///   reported in `X-Api-Call-Limit`;
/// - `seed=N`: the seed of the fault draws (default 1).
public struct FaultPlan: Sendable, Hashable, Codable {
    /// One rule: a kind on an endpoint (nil: every endpoint) with a probability.
    public struct Rule: Sendable, Hashable, Codable {
        public var endpoint: HubEndpoint?
        /// nil: any kind that applies to the endpoint (the `mixed` rule).
        public var kind: FaultKind?
        public var probability: Double
        public var milliseconds: Int?
    }

    public var rules: [Rule] = []
    public var leakyBucket = false
    /// The leaky bucket's burst (requests it holds) and leak rate (requests a second).
    public var bucketBurst = 40
    public var bucketRate = 2.0
    /// How long a hang lasts when its rule gives no time (`hang=MS`); nil: 10 s.
    public var hangMilliseconds: Int?
    public var seed: UInt64 = 1
    /// The spec this plan was parsed from.
    public var spec: String = ""

    public init() {}

    /// Parses a spec; an empty spec is no faults.
    public init(spec: String) throws(FaultSpecError) {
        self.spec = spec
        for item in spec.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            if item == "bucket" || item == "*:bucket" {
                leakyBucket = true
                continue
            }
            if item.hasPrefix("bucket=") {
                let parts = item.dropFirst(7).split(separator: "/")
                guard parts.count == 2, let burst = Int(parts[0]), burst > 0, let rate = Double(parts[1]), rate > 0 else {
                    throw FaultSpecError(item: item, reason: "expected bucket=BURST/RATE, e.g. bucket=40/2")
                }
                (leakyBucket, bucketBurst, bucketRate) = (true, burst, rate)
                continue
            }
            if item.hasPrefix("hang=") {
                hangMilliseconds = try Self.milliseconds(String(item.dropFirst(5)), item)
                continue
            }
            if item.hasPrefix("seed=") {
                guard let seed = UInt64(item.dropFirst(5)) else { throw FaultSpecError(item: item, reason: "seed must be a whole number") }
                self.seed = seed
                continue
            }
            let parts = item.split(separator: ":").map(String.init)
            if parts.count == 2 || parts.count == 3, parts[0] == "mixed" {
                let milliseconds = parts.count == 3 ? try Self.milliseconds(parts[2], item) : nil
                rules.append(Rule(endpoint: nil, kind: nil, probability: try Self.probability(parts[1], item), milliseconds: milliseconds))
                continue
            }
            guard parts.count == 3 || parts.count == 4 else {
                throw FaultSpecError(item: item, reason: "expected mixed:P, ENDPOINT:KIND:P[:MS], hang=MS, bucket[=BURST/RATE] or seed=N")
            }
            let endpoint: HubEndpoint?
            if parts[0] == "*" {
                endpoint = nil
            } else if let named = HubEndpoint(rawValue: parts[0]) {
                endpoint = named
            } else {
                throw FaultSpecError(
                    item: item,
                    reason: "unknown endpoint \(parts[0]); use one of auth, changes, ops, labels, rates, shipping, storefront, *"
                )
            }
            guard let kind = FaultKind(rawValue: parts[1]) else {
                throw FaultSpecError(
                    item: item,
                    reason: "unknown fault \(parts[1]); use one of \(FaultKind.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            let milliseconds = parts.count == 4 ? try Self.milliseconds(parts[3], item) : nil
            rules.append(Rule(endpoint: endpoint, kind: kind, probability: try Self.probability(parts[2], item), milliseconds: milliseconds))
        }
    }

    private static func milliseconds(_ text: String, _ item: String) throws(FaultSpecError) -> Int {
        guard let value = Int(text.replacingOccurrences(of: "ms", with: "")), value >= 0 else {
            throw FaultSpecError(item: item, reason: "the time must be milliseconds, e.g. 200ms")
        }
        return value
    }

    private static func probability(_ text: String, _ item: String) throws(FaultSpecError) -> Double {
        guard let value = Double(text.replacingOccurrences(of: "%", with: "")), value >= 0 else {
            throw FaultSpecError(item: item, reason: "the probability must be a number from 0 to 1 (or a percentage)")
        }
        let probability = text.hasSuffix("%") ? value / 100 : value
        guard probability <= 1 else { throw FaultSpecError(item: item, reason: "the probability must be at most 1") }
        return probability
    }
}

/// A fault spec that cannot be read; ``description`` names the item and why.
public struct FaultSpecError: Error, Sendable, CustomStringConvertible {
    public let item: String
    public let reason: String

    public var description: String { "fault spec item '\(item)': \(reason)" }
}
