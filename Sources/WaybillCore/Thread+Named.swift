public import Foundation

extension Thread {
    /// Starts a thread named `name` (what `top -H`, `ps -L` and a debugger show) that runs `body`.
    ///
    /// On Linux, Foundation passes a thread's new name on only once `start()` has returned; a name
    /// set earlier, from either side, is dropped without a word and the thread keeps its creator's
    /// (a libdispatch worker's, say). So the new thread waits for `start()` to return before it
    /// names itself and runs `body`.
    public static func start(named name: String, _ body: @escaping @Sendable () -> Void) {
        let started = DispatchSemaphore(value: 0)
        Thread {
            started.wait()
            Thread.current.name = name
            body()
        }
        .start()
        started.signal()
    }
}
