import Logging
import WaybillHub

/// The `waybill-hub` executable; everything but start-up lives in WaybillHub.
@main
enum HubMain {
    static func main() async {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        await HubCommand.main()
    }
}
