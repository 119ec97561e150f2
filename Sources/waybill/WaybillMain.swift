import Logging
import WaybillAgent

/// The `waybill` executable: logging goes to standard error (journald reads it), the rest lives in WaybillAgent.
@main
enum WaybillMain {
    static func main() async {
        LoggingSystem.bootstrap(AgentLogHandler.standardError)
        await WaybillCommand.main()
    }
}
