import Foundation
import Logging
import WaybillCore
import WaybillSync

/// Collects and parses the text of each key, remembering where it came from for error messages.
struct ResolvedValues {
    let path: String
    let environment: [String: String]
    private var texts: [String: String] = [:]

    init(path: String, environment: [String: String]) {
        self.path = path
        self.environment = environment
    }

    /// Where `key`'s value came from: the environment variable that overrides it, or the file.
    func source(of key: ConfigurationKey) -> String {
        environment[key.environmentVariable] != nil ? "environment variable \(key.environmentVariable)" : path
    }

    func wrongType(_ key: ConfigurationKey) -> ConfigurationError {
        ConfigurationError(.wrongType, source: source(of: key), key: key.name, "expected \(key.kind.expectation)")
    }

    /// Keys required with `central.kind: hub` (read after `central.kind`, which `ConfigurationKey.all` lists first).
    static let requiredWithHub: Set<String> = [ConfigurationKey.centralURL.name, ConfigurationKey.centralSecretFile.name]

    mutating func set(_ key: ConfigurationKey, _ text: String?) throws(ConfigurationError) {
        let trimmed = text?.trimmingCharacters(in: .whitespaces)
        if let trimmed, !trimmed.isEmpty {
            texts[key.name] = trimmed
        } else if let fallback = key.defaultValue {
            texts[key.name] = fallback
        } else if key.required
            || (Self.requiredWithHub.contains(key.name) && texts[ConfigurationKey.centralKind.name] != CentralKind.storefront.rawValue)
        {
            throw ConfigurationError(.missingKey, source: path, key: key.name, "required key is missing; expected \(key.kind.expectation)")
        }
    }

    private func parsed<T>(_ key: ConfigurationKey, _ parse: (String) -> T?) throws(ConfigurationError) -> T? {
        guard let text = texts[key.name] else { return nil }
        guard let value = parse(text) else {
            throw ConfigurationError(.wrongType, source: source(of: key), key: key.name, "'\(text)' is not \(key.kind.expectation)")
        }
        return value
    }

    private func required<T>(_ key: ConfigurationKey, _ parse: (String) -> T?) throws(ConfigurationError) -> T {
        guard let value = try parsed(key, parse) else {
            throw ConfigurationError(.missingKey, source: path, key: key.name, "required key is missing; expected \(key.kind.expectation)")
        }
        return value
    }

    func configuration() throws(ConfigurationError) -> StationConfiguration {
        let text: (String) -> String? = { $0 }
        let retryBase = try required(.retryBase, ConfigurationValue.duration)
        let retryCap = try required(.retryCap, ConfigurationValue.duration)
        guard retryCap >= retryBase else {
            throw ConfigurationError(
                .wrongType,
                source: source(of: .retryCap),
                key: ConfigurationKey.retryCap.name,
                "must be at least sync.retry_base (\(texts[ConfigurationKey.retryBase.name] ?? ""))"
            )
        }
        let kind = try required(.centralKind, CentralKind.init(rawValue:))
        let storefront = kind == .storefront ? try storefrontSettings() : nil
        let shipping = try shipping()
        if kind == .storefront, shipping == nil {
            throw ConfigurationError(
                .missingKey,
                source: path,
                key: ConfigurationKey.shippingURL.name,
                "central.kind: storefront buys labels from the shipping provider; set shipping.url and the other shipping keys"
            )
        }
        let centralURL: String
        let secretFile: String
        if let storefront {
            centralURL = storefront.url
            secretFile = storefront.tokenFile
        } else {
            centralURL = try required(.centralURL, ConfigurationValue.url)
            secretFile = try required(.centralSecretFile, text)
        }
        var scale: ScaleSettings?
        if let device = try parsed(.scaleDevice, text) {
            scale = ScaleSettings(
                device: device,
                scaleProtocol: try required(.scaleProtocol, ScaleProtocol.init(rawValue:)),
                baud: try required(.scaleBaud, { Int($0).flatMap { ScaleSettings.bauds.contains($0) ? $0 : nil } })
            )
        }
        return StationConfiguration(
            sourceFile: path,
            stationID: try required(.stationID, StationID.init(rawValue:)),
            mode: try required(.stationMode, StationMode.init(rawValue:)),
            packingBudget: try required(.packingBudget, ConfigurationValue.duration),
            centralKind: kind,
            centralURL: centralURL,
            secretFile: secretFile,
            caFile: try parsed(.centralCAFile, text),
            proxy: try parsed(.centralProxy, text),
            verifyTLS: try required(.centralVerifyTLS, ConfigurationValue.bool),
            storePath: try required(.storePath, text),
            spoolPath: try required(.spoolPath, text),
            cupsServer: try parsed(.cupsServer, text),
            labelPrinter: try parsed(.labelPrinter, text),
            documentPrinter: try parsed(.documentPrinter, text),
            scale: scale,
            weightCheck: WeightCheck(
                toleranceLb: try required(.weightToleranceLb, ConfigurationValue.number(in: 0...100)),
                tolerancePercent: try required(.weightTolerancePercent, ConfigurationValue.number(in: 0...100))
            ),
            httpListen: try required(.httpListen, ConfigurationValue.listenAddress),
            pollInterval: try required(.pollInterval, ConfigurationValue.duration),
            retryBase: retryBase,
            retryCap: retryCap,
            requestTimeout: try required(.requestTimeout, ConfigurationValue.duration),
            logLevel: try required(.logLevel, ConfigurationValue.logLevel),
            report: try report(),
            shipping: shipping,
            storefront: storefront
        )
    }

    /// The Shopify store's settings (`central.kind: storefront`): url, token file and location required.
    private func storefrontSettings() throws(ConfigurationError) -> StorefrontSettings {
        StorefrontSettings(
            url: try required(.storefrontURL, ConfigurationValue.url),
            apiVersion: try required(.storefrontAPIVersion) { text in
                text.count == 7 && text.split(separator: "-").count == 2 && text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "-") } ? text : nil
            },
            tokenFile: try required(.storefrontTokenFile, { $0 }),
            locationID: try required(.storefrontLocationID) { text in
                if let number = Int(text), number > 0 { return "gid://shopify/Location/\(number)" }
                let prefix = "gid://shopify/Location/"
                return text.hasPrefix(prefix) && Int(text.dropFirst(prefix.count)).map { $0 > 0 } == true ? text : nil
            },
            catalogFile: try required(.storefrontCatalogFile, { $0 }),
            zone: try required(.storefrontZone, { Int($0).flatMap { (2...8).contains($0) ? $0 : nil } }),
            notifyCustomer: try required(.storefrontNotifyCustomer, ConfigurationValue.bool),
            sweepInterval: try required(.storefrontSweepInterval, ConfigurationValue.duration)
        )
    }

    /// The shipping provider's settings when `shipping.url` is set (then the key file, carrier and warehouse are required).
    private func shipping() throws(ConfigurationError) -> ShippingSettings? {
        guard let url = try parsed(.shippingURL, ConfigurationValue.url) else { return nil }
        let providerID: (String) -> String? = { text in
            text.count <= 64 && !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") } ? text : nil
        }
        let labelFormat = try required(.shippingLabelFormat, LabelFormat.init(rawValue:))
        // A label printer's queue is raw (ZPL): a PDF sent there would print as garbage, or not at all.
        if labelFormat == .pdf, texts[ConfigurationKey.documentPrinter.name] == nil {
            throw ConfigurationError(
                .missingKey,
                source: path,
                key: ConfigurationKey.documentPrinter.name,
                "shipping.label_format: pdf prints carrier labels on the document printer; set printers.document (or use zpl)"
            )
        }
        return ShippingSettings(
            url: url,
            apiKeyFile: try required(.shippingAPIKeyFile, { $0 }),
            carrierID: try required(.shippingCarrierID, providerID),
            warehouseID: try required(.shippingWarehouseID, providerID),
            serviceCodes: try parsed(.shippingServiceCodes, ShipEngineSettings.serviceCodes(parsing:)) ?? [:],
            requestsPerMinute: try required(.shippingRequestsPerMinute, { Int($0).flatMap { (1...100_000).contains($0) ? $0 : nil } }),
            labelFormat: labelFormat,
            liveRates: try required(.shippingLiveRates, ConfigurationValue.bool)
        )
    }

    /// The shift report's settings when `report.to` is set (then `report.from` and `smtp.url` are required).
    private func report() throws(ConfigurationError) -> ReportSettings? {
        guard let to = try parsed(.reportTo, ConfigurationValue.emails) else { return nil }
        let user = try parsed(.smtpUser, { $0 })
        let passwordFile = try parsed(.smtpPasswordFile, { $0 })
        if user != nil, passwordFile == nil {
            throw ConfigurationError(.missingKey, source: path, key: ConfigurationKey.smtpPasswordFile.name, "smtp.user needs its password file")
        }
        return ReportSettings(
            to: to,
            from: try required(.reportFrom, ConfigurationValue.email),
            schedule: try required(.reportSchedule, ConfigurationValue.schedule),
            timeZone: try parsed(.reportTimeZone, ConfigurationValue.timeZone) ?? TimeZone.current,
            retryBase: try required(.reportRetryBase, ConfigurationValue.duration),
            smtpURL: try required(.smtpURL, ConfigurationValue.smtpURL),
            smtpUser: user,
            smtpPasswordFile: passwordFile,
            smtpCAFile: try parsed(.smtpCAFile, { $0 }),
            smtpAllowPlaintext: try required(.smtpAllowPlaintext, ConfigurationValue.bool)
        )
    }
}
