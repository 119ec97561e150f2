import Foundation
import Logging
import WaybillCore
import WaybillHTTP
import WaybillStore
import WaybillSync

/// Builds the sync engine from the configuration, or says why it cannot.
enum SyncComposition {
    static func engine(configuration: StationConfiguration, store: WaybillStore, logger: Logger) throws -> SyncEngine {
        let secret = try SecretFile.read(path: configuration.secretFile)
        let http = CurlHTTPClient(
            configuration: HTTPClientConfiguration(
                connectTimeout: min(configuration.requestTimeout, .seconds(10)),
                requestTimeout: configuration.requestTimeout,
                verifyTLS: configuration.verifyTLS,
                caFile: configuration.caFile,
                proxy: configuration.proxy,
                userAgent: "waybill/\(WaybillVersion.current) (\(configuration.stationID))"
            )
        )
        let client = CentralClient(baseURL: configuration.centralURL, stationID: configuration.stationID, secret: secret, http: http, logger: logger)
        let backups = URL(fileURLWithPath: configuration.storePath).deletingLastPathComponent().path
        return SyncEngine(
            store: store,
            client: client,
            policy: RetryPolicy(base: configuration.retryBase, cap: configuration.retryCap),
            logger: logger,
            backupDirectory: backups
        )
    }
}
