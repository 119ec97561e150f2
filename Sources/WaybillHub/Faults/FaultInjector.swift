import Foundation
import Synchronization
import WaybillCore

/// Draws the fault (if any) for each request, deterministically from the plan's seed, and runs the
/// leaky bucket. The plan can be replaced at run time.
final class FaultInjector: Sendable {
    /// A drawn fault with its parameter.
    struct Fault: Sendable, Equatable {
        let kind: FaultKind
        let milliseconds: Int
    }

    /// The leaky bucket's answer for one request.
    struct BucketAnswer: Sendable {
        /// The `X-Api-Call-Limit` header value, such as `12/40`.
        let header: String
        /// Seconds to wait when the bucket is full; nil when the request may proceed.
        let retryAfter: Int?
    }

    private struct State {
        var plan: FaultPlan
        var random: SeededRandom
        var bucketLevel = 0.0
        var bucketUpdated = Date()
        var injected: [String: Int] = [:]
        var requests: [String: Int] = [:]
    }

    private let state: Mutex<State>

    init(plan: FaultPlan = FaultPlan()) {
        state = Mutex(State(plan: plan, random: SeededRandom(seed: plan.seed)))
    }

    var plan: FaultPlan { state.withLock { $0.plan } }

    /// How many faults of each kind were injected since the plan was set (`bucket`: requests the full
    /// leaky bucket refused).
    var injectedCounts: [String: Int] { state.withLock { $0.injected } }

    /// How many requests each endpoint received since the plan was set, faulted or not.
    var requestCounts: [String: Int] { state.withLock { $0.requests } }

    func replace(with plan: FaultPlan) {
        state.withLock { $0 = State(plan: plan, random: SeededRandom(seed: plan.seed)) }
    }

    /// The fault for one request to `endpoint`, or nil.
    func draw(for endpoint: HubEndpoint) -> Fault? {
        state.withLock { state in
            for rule in state.plan.rules where rule.endpoint == nil || rule.endpoint == endpoint {
                guard Double.random(in: 0..<1, using: &state.random) < rule.probability else { continue }
                let kind: FaultKind
                if let fixed = rule.kind {
                    guard fixed.applies(to: endpoint) else { continue }
                    kind = fixed
                } else {
                    let candidates = FaultKind.allCases.filter { $0.applies(to: endpoint) }
                    kind = candidates[Int.random(in: 0..<candidates.count, using: &state.random)]
                }
                state.injected[kind.rawValue, default: 0] += 1
                // A mixed rule's time is its latency; a hang outlasts the client's timeout unless told otherwise.
                let milliseconds =
                    kind == .hang
                    ? (rule.kind == .hang ? rule.milliseconds : nil) ?? state.plan.hangMilliseconds ?? 10_000
                    : rule.milliseconds ?? 200
                return Fault(kind: kind, milliseconds: milliseconds)
            }
            return nil
        }
    }

    /// Counts one request to `endpoint`, then takes it into the leaky bucket, when the plan has one.
    func takeBucket(for endpoint: HubEndpoint, now: Date = Date()) -> BucketAnswer? {
        state.withLock { state in
            state.requests[endpoint.rawValue, default: 0] += 1
            guard state.plan.leakyBucket else { return nil }
            let capacity = Double(state.plan.bucketBurst), leak = state.plan.bucketRate
            let elapsed = now.timeIntervalSince(state.bucketUpdated)
            state.bucketLevel = max(0, state.bucketLevel - elapsed * leak)
            state.bucketUpdated = now
            if state.bucketLevel + 1 > capacity {
                state.injected["bucket", default: 0] += 1
                let wait = Int(((state.bucketLevel + 1 - capacity) / leak).rounded(.up))
                return BucketAnswer(header: "\(Int(state.bucketLevel.rounded(.up)))/\(state.plan.bucketBurst)", retryAfter: max(1, wait))
            }
            state.bucketLevel += 1
            return BucketAnswer(header: "\(Int(state.bucketLevel.rounded(.up)))/\(state.plan.bucketBurst)", retryAfter: nil)
        }
    }
}
