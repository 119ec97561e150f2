public import Foundation

/// Remembers since when each problem has been seen, across refreshes of the health model: a problem
/// the facts do not date gets the time it was first seen; one gone from a refresh is forgotten (and
/// starts afresh if it comes back).
public struct HealthLedger: Sendable {
    private var firstSeen: [String: Date] = [:]

    public init() {}

    /// Dates `problems` and returns them, with what appeared and what cleared since the last call.
    public mutating func update(_ problems: [HealthProblem], now: Date) -> (problems: [HealthProblem], appeared: [HealthProblem], cleared: [String]) {
        var seen: [String: Date] = [:]
        var appeared: [HealthProblem] = []
        let dated = problems.map { problem -> HealthProblem in
            var problem = problem
            if let first = firstSeen[problem.key] {
                seen[problem.key] = first
            } else {
                seen[problem.key] = problem.since ?? now
                appeared.append(problem)
            }
            if problem.since == nil { problem.since = seen[problem.key] }
            return problem
        }
        let cleared = firstSeen.keys.filter { seen[$0] == nil }.sorted()
        firstSeen = seen
        return (dated, appeared, cleared)
    }
}
