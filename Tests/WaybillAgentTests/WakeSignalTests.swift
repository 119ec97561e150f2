import Testing
import WaybillTestSupport

@testable import WaybillAgent

@Suite struct WakeSignalTests {
    /// A timer that never fires (until its wait is over and it is cancelled).
    static let never: @Sendable () async -> Void = { try? await Task.sleep(for: .seconds(86_400)) }

    @Test func aWakeBeforeTheWait_endsTheNextWaitAtOnce() async {
        let signal = WakeSignal()
        signal.wake()
        #expect(await signal.wait(timer: Self.never) == .woken)
    }

    @Test func aWakeDuringTheWait_endsIt() async {
        let signal = WakeSignal()
        async let outcome = signal.wait(timer: Self.never)
        // Wake until the waiter has registered and been woken.
        signal.wake()
        #expect(await outcome == .woken)
    }

    /// The idle-CPU bug: once a wait had timed out, every later wait ended at once, busy-looping the agent.
    @Test func afterATimeout_laterWaitsStillNeedAWakeOrTheirTimer() async {
        let signal = WakeSignal()
        for _ in 0..<50 {
            #expect(await signal.wait(timer: {}) == .timedOut)
        }
        signal.wake()
        #expect(await signal.wait(timer: Self.never) == .woken)
        #expect(await signal.wait(timer: {}) == .timedOut)
    }
}
