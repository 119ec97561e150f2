import Foundation
import Testing

@testable import WaybillPrint

/// The thread libcups runs on is one thread, and carries its name (what `top -H`, `gdb` and
/// `perf` show an admin; on Linux a name set before the thread starts never reaches it).
@Suite struct ConfinedThreadTests {
    @Test func everyClosure_runsOnTheOneNamedThread_withItsState() async {
        let confined = ConfinedThread<Int>(name: "waybill.cups") { 41 }
        let first = await confined.perform { state in "\(Thread.current.name ?? "unnamed") \(state + 1)" }
        let second = await confined.perform { _ in Thread.current.name ?? "unnamed" }
        #expect(first == "waybill.cups 42")
        #expect(second == "waybill.cups")
        confined.stop { _ in }
    }
}
