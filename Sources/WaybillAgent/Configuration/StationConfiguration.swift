public import Logging
public import WaybillCore

/// The station agent's configuration, validated. Load it with ``ConfigurationLoader``.
///
/// Relative paths are resolved against the working directory the command was started in; the
/// packaged configuration in `/etc/waybill` uses absolute paths.
public struct StationConfiguration: Sendable {
    /// The configuration file that was read.
    public var sourceFile: String
    /// `station.id`: this station's id at the central API.
    public var stationID: StationID
    /// `station.mode`: how orders are packed (``StationMode``).
    public var mode: StationMode
    /// Whether the station works unattended (`station.mode: auto`).
    public var autoMode: Bool { mode == .auto }
    /// `packing.budget`: how long the planner may search for a cheaper plan, per order.
    public var packingBudget: Duration
    /// `central.kind`: where orders come from (``CentralKind``).
    public var centralKind: CentralKind
    /// `central.url`: the central API's base URL (with `central.kind: storefront`, `storefront.url`).
    public var centralURL: String
    /// `central.secret_file`: the file holding the station secret, mode 0600 (with
    /// `central.kind: storefront`, `storefront.token_file`).
    public var secretFile: String
    /// The key that names ``secretFile``: `central.secret_file`, or `storefront.token_file`.
    public var secretKey: String { centralKind == .hub ? "central.secret_file" : "storefront.token_file" }
    /// `central.ca_file`: a PEM bundle to trust instead of the system's CAs.
    public var caFile: String?
    /// `central.proxy`: an HTTP proxy URL; unset honours the usual proxy environment variables.
    public var proxy: String?
    /// `central.verify_tls`: whether to verify TLS certificates.
    public var verifyTLS: Bool
    /// `store.path`: the SQLite database file.
    public var storePath: String
    /// `spool.path`: the label spool folder.
    public var spoolPath: String
    /// `cups.server`: `host:port` or a socket path; unset uses libcups' default.
    public var cupsServer: String?
    /// `printers.label`: the CUPS queue for labels.
    public var labelPrinter: String?
    /// `printers.document`: the CUPS queue for packing slips.
    public var documentPrinter: String?
    /// `scale.device`, `scale.protocol`, `scale.baud`: the bench scale; `nil` without one (weights are typed).
    public var scale: ScaleSettings?
    /// `scale.tolerance_lb` and `scale.tolerance_percent`: how far a box's weight may be from its expected weight.
    public var weightCheck: WeightCheck
    /// `http.listen`: the local HTTP address for metrics and events; `nil` when off.
    public var httpListen: String?
    /// `sync.poll_interval`: how often the changes feed is polled.
    public var pollInterval: Duration
    /// `sync.retry_base`: the first backoff ceiling.
    public var retryBase: Duration
    /// `sync.retry_cap`: the largest backoff ceiling.
    public var retryCap: Duration
    /// `sync.request_timeout`: the time limit of one request to the central API.
    public var requestTimeout: Duration
    /// `log.level`: the lowest level logged.
    public var logLevel: Logger.Level
    /// `report.*` and `smtp.*`: the emailed shift report; nil without `report.to`.
    public var report: ReportSettings?
    /// `shipping.*`: the shipping provider labels are bought from; nil buys them from the central hub.
    public var shipping: ShippingSettings?
    /// `storefront.*`: the Shopify store orders come from, with `central.kind: storefront`.
    public var storefront: StorefrontSettings?
}

/// Where a station's orders come from (`central.kind`).
public enum CentralKind: String, Sendable, Hashable, CaseIterable {
    /// `waybill-hub`'s central API: the changes feed and the operations log.
    case hub
    /// A Shopify store's fulfillment orders for one location (`storefront.*`), labels from the
    /// shipping provider (`shipping.*`).
    case storefront
}

/// How a station packs its orders (`station.mode`).
public enum StationMode: String, Sendable, Hashable, CaseIterable {
    /// A packer opens each order at the station screen and scans every unit into its box; a box's
    /// labels print once it is verified and weighed, and the order ships once every label printed.
    case manual
    /// Unattended, for demos and lights-out lines: orders are claimed, planned, labelled, printed
    /// and shipped without anyone verifying them.
    case auto
}
