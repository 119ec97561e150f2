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

    static let bucketCapacity = 40.0
    static let bucketLeakPerSecond = 2.0

    private struct State {
        var plan: FaultPlan
        var random: SeededRandom
        var bucketLevel = 0.0
        var bucketUpdated = Date()
        var injected: [String: Int] = [:]
    }

    private let state: Mutex<State>

    init(plan: FaultPlan = FaultPlan()) {
        state = Mutex(State(plan: plan, random: SeededRandom(seed: plan.seed)))
    }

    var plan: FaultPlan { state.withLock { $0.plan } }

    /// How many faults of each kind were injected since the plan was set.
    var injectedCounts: [String: Int] { state.withLock { $0.injected } }

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
                return Fault(kind: kind, milliseconds: rule.milliseconds ?? (kind == .hang ? 10_000 : 200))
            }
            return nil
        }
    }

    /// Takes one request into the leaky bucket, when the plan has one.
    func takeBucket(now: Date = Date()) -> BucketAnswer? {
        state.withLock { state in
            guard state.plan.leakyBucket else { return nil }
            let elapsed = now.timeIntervalSince(state.bucketUpdated)
            state.bucketLevel = max(0, state.bucketLevel - elapsed * Self.bucketLeakPerSecond)
            state.bucketUpdated = now
            if state.bucketLevel + 1 > Self.bucketCapacity {
                state.injected["429", default: 0] += 1
                let wait = Int(((state.bucketLevel + 1 - Self.bucketCapacity) / Self.bucketLeakPerSecond).rounded(.up))
                return BucketAnswer(header: "\(Int(state.bucketLevel.rounded(.up)))/\(Int(Self.bucketCapacity))", retryAfter: max(1, wait))
            }
            state.bucketLevel += 1
            return BucketAnswer(header: "\(Int(state.bucketLevel.rounded(.up)))/\(Int(Self.bucketCapacity))", retryAfter: nil)
        }
    }
}
