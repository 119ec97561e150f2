import Foundation
import Synchronization
import Testing
import WaybillCore

/// A thread started with ``Thread/start(named:_:)`` has its name from its first instruction on,
/// whoever started it: here a libdispatch worker, whose own name a new thread would otherwise keep.
@Suite struct NamedThreadTests {
    @Test func everyThread_hasItsName_fromItsFirstInstruction() async {
        let count = 500
        let names = Mutex<[String]>([])
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                let finished = DispatchGroup()
                for index in 0..<count {
                    finished.enter()
                    Thread.start(named: "test-\(index)") {
                        names.withLock { $0.append(Thread.current.name ?? "unnamed") }
                        finished.leave()
                    }
                }
                finished.wait()
                done.resume()
            }
        }
        let seen = names.withLock { $0 }
        #expect(seen.count == count)
        #expect(Set(seen) == Set((0..<count).map { "test-\($0)" }), "\(seen.filter { !$0.hasPrefix("test-") }.prefix(5))")
    }
}
