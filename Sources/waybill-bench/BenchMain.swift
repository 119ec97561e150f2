import Logging
import WaybillBench

/// `waybill-bench`: measurements of the agent and hub, each against a peer in the same run.
@main
enum BenchMain {
    static func main() async {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        await BenchCommand.main()
    }
}
