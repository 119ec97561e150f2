import Dispatch
import Logging
import WaybillAgent

/// The `waybill` executable: logging goes to standard error (journald reads it), the rest lives in WaybillAgent.
///
/// `main` is synchronous on purpose: it runs the command in a task and parks the main thread until the
/// command returns. An `async` main ends in `dispatch_main()`, whose `pthread_exit` unwinds the main
/// thread through the binary's unwind tables, and those pages (0.7 MB) stay resident for the life of
/// the agent. Nothing in the agent runs on the main actor.
@main
enum WaybillMain {
    static func main() {
        LoggingSystem.bootstrap(AgentLogHandler.standardError)
        let finished = DispatchSemaphore(value: 0)
        // Detached: a task made here would inherit the main actor, which only the parked main thread serves.
        Task.detached {
            await WaybillCommand.main()
            finished.signal()
        }
        finished.wait()
    }
}
