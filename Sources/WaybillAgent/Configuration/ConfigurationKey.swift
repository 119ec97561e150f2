/// Every key the station configuration accepts: its type, whether it is required, and its default.
///
/// The documented default file (`config/waybill.yaml`) lists the same keys with comments; a test
/// checks that the two agree. Each key can be overridden by an environment variable named
/// `WAYBILL_` + the key upper-cased with dots as underscores (`WAYBILL_CENTRAL_URL`).
struct ConfigurationKey: Sendable, Hashable {
    /// The kinds of value a key takes, each with its own parser and message.
    enum Kind: Sendable, Hashable {
        case stationID, url, path, text, duration, listenAddress, logLevel, bool, stationMode, weightLb, percent, scaleProtocol, baud
        case schedule, email, emails, timeZone, smtpURL, serviceCodes, providerID, perMinute, centralKind, apiVersion, zone, labelFormat

        var expectation: String {
            switch self {
            case .stationID: "a station id (1 to 64 characters from A-Z a-z 0-9 - _ .)"
            case .url: "an http:// or https:// URL with a host"
            case .path: "a file or folder path"
            case .text: "a string"
            case .duration: "a duration such as 500ms, 5s, 2m or 1h (a bare number means seconds)"
            case .listenAddress: "HOST:PORT (for example 127.0.0.1:8377; port 0 picks a free one), or off"
            case .logLevel: "one of trace, debug, info, notice, warning, error, critical"
            case .bool: "true or false"
            case .weightLb: "a weight in pounds from 0 to 100, such as 0.1"
            case .percent: "a percentage from 0 to 100, such as 5"
            case .scaleProtocol: "nci (Avery Weigh-Tronix, Brecknell), mt-sics (Mettler Toledo) or hid-pos (a USB HID scale)"
            case .baud: "a serial speed: 1200, 2400, 4800, 9600, 19200, 38400, 57600 or 115200"
            case .stationMode: "manual (a packer verifies each order at the station screen) or auto (unattended)"
            case .schedule: "a local time such as 18:00, or every 8h (1, 2, 3, 4, 6, 8, 12 or 24 hours)"
            case .email: "an email address such as waybill@example.com"
            case .emails: "email addresses separated by commas"
            case .timeZone: "a time zone such as Europe/Berlin or UTC"
            case .smtpURL: "smtp://HOST:PORT (STARTTLS) or smtps://HOST:PORT (TLS)"
            case .serviceCodes: "planner services and the provider's service codes, such as SIM_GROUND=ups_ground,SIM_POSTAL=usps_priority_mail"
            case .providerID: "a provider's id such as se-123456 (letters, digits, - and _)"
            case .perMinute: "a number of requests a minute, from 1 to 100000"
            case .centralKind: "hub (waybill-hub's central API) or storefront (a Shopify store's fulfillment orders)"
            case .apiVersion: "an API version such as 2025-01"
            case .zone: "a carrier zone from 2 to 8"
            case .labelFormat: "zpl (the thermal label printer) or pdf (printed on printers.document)"
            }
        }
    }

    let name: String
    let kind: Kind
    let required: Bool
    let defaultValue: String?

    /// The environment variable that overrides this key.
    var environmentVariable: String {
        "WAYBILL_" + name.uppercased().replacingOccurrences(of: ".", with: "_")
    }

    static let stationID = Self(name: "station.id", kind: .stationID, required: true, defaultValue: nil)
    static let stationMode = Self(name: "station.mode", kind: .stationMode, required: false, defaultValue: "manual")
    static let packingBudget = Self(name: "packing.budget", kind: .duration, required: false, defaultValue: "50ms")
    static let centralKind = Self(name: "central.kind", kind: .centralKind, required: false, defaultValue: "hub")
    /// Required with `central.kind: hub` (checked when the configuration is built).
    static let centralURL = Self(name: "central.url", kind: .url, required: false, defaultValue: nil)
    static let centralSecretFile = Self(name: "central.secret_file", kind: .path, required: false, defaultValue: nil)
    static let centralCAFile = Self(name: "central.ca_file", kind: .path, required: false, defaultValue: nil)
    static let centralProxy = Self(name: "central.proxy", kind: .text, required: false, defaultValue: nil)
    static let centralVerifyTLS = Self(name: "central.verify_tls", kind: .bool, required: false, defaultValue: "true")
    static let storePath = Self(name: "store.path", kind: .path, required: true, defaultValue: nil)
    static let spoolPath = Self(name: "spool.path", kind: .path, required: true, defaultValue: nil)
    static let cupsServer = Self(name: "cups.server", kind: .text, required: false, defaultValue: nil)
    static let labelPrinter = Self(name: "printers.label", kind: .text, required: false, defaultValue: nil)
    static let documentPrinter = Self(name: "printers.document", kind: .text, required: false, defaultValue: nil)
    static let scaleDevice = Self(name: "scale.device", kind: .path, required: false, defaultValue: nil)
    static let scaleProtocol = Self(name: "scale.protocol", kind: .scaleProtocol, required: false, defaultValue: "nci")
    static let scaleBaud = Self(name: "scale.baud", kind: .baud, required: false, defaultValue: "9600")
    static let weightToleranceLb = Self(name: "scale.tolerance_lb", kind: .weightLb, required: false, defaultValue: "0.1")
    static let weightTolerancePercent = Self(name: "scale.tolerance_percent", kind: .percent, required: false, defaultValue: "5")
    static let httpListen = Self(name: "http.listen", kind: .listenAddress, required: false, defaultValue: "127.0.0.1:8377")
    static let pollInterval = Self(name: "sync.poll_interval", kind: .duration, required: false, defaultValue: "5s")
    static let retryBase = Self(name: "sync.retry_base", kind: .duration, required: false, defaultValue: "1s")
    static let retryCap = Self(name: "sync.retry_cap", kind: .duration, required: false, defaultValue: "5m")
    static let requestTimeout = Self(name: "sync.request_timeout", kind: .duration, required: false, defaultValue: "30s")
    static let logLevel = Self(name: "log.level", kind: .logLevel, required: false, defaultValue: "info")
    static let reportTo = Self(name: "report.to", kind: .emails, required: false, defaultValue: nil)
    static let reportFrom = Self(name: "report.from", kind: .email, required: false, defaultValue: nil)
    static let reportSchedule = Self(name: "report.schedule", kind: .schedule, required: false, defaultValue: "18:00")
    static let reportTimeZone = Self(name: "report.time_zone", kind: .timeZone, required: false, defaultValue: nil)
    static let reportRetryBase = Self(name: "report.retry_base", kind: .duration, required: false, defaultValue: "30s")
    static let smtpURL = Self(name: "smtp.url", kind: .smtpURL, required: false, defaultValue: nil)
    static let smtpUser = Self(name: "smtp.user", kind: .text, required: false, defaultValue: nil)
    static let smtpPasswordFile = Self(name: "smtp.password_file", kind: .path, required: false, defaultValue: nil)
    static let smtpCAFile = Self(name: "smtp.ca_file", kind: .path, required: false, defaultValue: nil)
    static let smtpAllowPlaintext = Self(name: "smtp.allow_plaintext", kind: .bool, required: false, defaultValue: "false")
    static let shippingURL = Self(name: "shipping.url", kind: .url, required: false, defaultValue: nil)
    static let shippingAPIKeyFile = Self(name: "shipping.api_key_file", kind: .path, required: false, defaultValue: nil)
    static let shippingCarrierID = Self(name: "shipping.carrier_id", kind: .providerID, required: false, defaultValue: nil)
    static let shippingWarehouseID = Self(name: "shipping.warehouse_id", kind: .providerID, required: false, defaultValue: nil)
    static let shippingServiceCodes = Self(name: "shipping.service_codes", kind: .serviceCodes, required: false, defaultValue: nil)
    static let shippingRequestsPerMinute = Self(name: "shipping.requests_per_minute", kind: .perMinute, required: false, defaultValue: "200")
    static let shippingLabelFormat = Self(name: "shipping.label_format", kind: .labelFormat, required: false, defaultValue: "zpl")
    static let shippingLiveRates = Self(name: "shipping.live_rates", kind: .bool, required: false, defaultValue: "true")
    static let storefrontURL = Self(name: "storefront.url", kind: .url, required: false, defaultValue: nil)
    static let storefrontAPIVersion = Self(name: "storefront.api_version", kind: .apiVersion, required: false, defaultValue: "2025-01")
    static let storefrontTokenFile = Self(name: "storefront.token_file", kind: .path, required: false, defaultValue: nil)
    static let storefrontLocationID = Self(name: "storefront.location_id", kind: .text, required: false, defaultValue: nil)
    static let storefrontCatalogFile = Self(name: "storefront.catalog_file", kind: .path, required: false, defaultValue: nil)
    static let storefrontZone = Self(name: "storefront.zone", kind: .zone, required: false, defaultValue: "5")
    static let storefrontNotifyCustomer = Self(name: "storefront.notify_customer", kind: .bool, required: false, defaultValue: "false")
    static let storefrontSweepInterval = Self(name: "storefront.sweep_interval", kind: .duration, required: false, defaultValue: "30s")

    /// All keys, in the order the default file documents them.
    static let all: [ConfigurationKey] = [
        stationID, stationMode, centralKind, centralURL, centralSecretFile, centralCAFile, centralProxy, centralVerifyTLS, storePath, spoolPath,
        cupsServer, labelPrinter, documentPrinter, packingBudget, scaleDevice, scaleProtocol, scaleBaud, weightToleranceLb, weightTolerancePercent,
        httpListen, pollInterval, retryBase,
        retryCap, requestTimeout, logLevel, reportTo, reportFrom, reportSchedule, reportTimeZone, reportRetryBase, smtpURL, smtpUser,
        smtpPasswordFile, smtpCAFile, smtpAllowPlaintext, shippingURL, shippingAPIKeyFile, shippingCarrierID, shippingWarehouseID,
        shippingServiceCodes, shippingRequestsPerMinute, shippingLabelFormat, shippingLiveRates, storefrontURL, storefrontAPIVersion,
        storefrontTokenFile,
        storefrontLocationID,
        storefrontCatalogFile, storefrontZone, storefrontNotifyCustomer, storefrontSweepInterval,
    ]

    static let byName: [String: ConfigurationKey] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The section names (`central`, `sync`, ...) that group keys in the file.
    static let sections: Set<String> = Set(all.compactMap { $0.name.split(separator: ".").first.map(String.init) })
}
