/// The end of a planning time budget, on the continuous clock (a deadline, not I/O).
struct PlanningDeadline: Sendable {
    var end: ContinuousClock.Instant

    var hasPassed: Bool { ContinuousClock.now >= end }
    var remaining: Duration { end - ContinuousClock.now }
}
