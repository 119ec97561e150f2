import ArgumentParser
import Foundation
import Logging

extension HubCommand {
    /// `waybill-hub serve`.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve the central API (/v1) and the admin API (/admin, loopback only).")

        @Option(help: "Address to listen on, HOST:PORT.")
        var listen = "127.0.0.1:8700"

        @Option(help: "The hub's SQLite database (created when absent).")
        var db: String

        @Option(help: "Faults to inject, e.g. 'mixed:0.3' or 'ops:503:0.2,changes:truncate:0.1,bucket' (see GET /openapi.yaml).")
        var faults = ""

        @Option(
            help:
                "Emulate providers' public APIs beside the hub's: 'shipping' (ShipEngine v1 labels under /shipengine), 'storefront' (Shopify Admin GraphQL fulfillment orders under /shopify); comma-separated."
        )
        var emulate = ""

        @Option(
            name: .customLong("emulator-key-file"),
            help: "The file holding the API key emulated providers accept (required with --emulate)."
        )
        var emulatorKeyFile: String?

        @Option(name: .customLong("shipping-requests-per-minute"), help: "The emulated ShipEngine account's request limit.")
        var shippingRequestsPerMinute = 200

        @Option(
            name: .customLong("storefront-restore-rate"),
            help: "The emulated Shopify app's cost points restored a second (Standard 100, Plus 1000)."
        )
        var storefrontRestoreRate: Double = 100

        @Option(name: .customLong("access-ttl"), help: "Access token lifetime in seconds.")
        var accessTTL: Double = 900

        @Option(
            name: .customLong("port-file"),
            help: "Write the bound port to this file once the hub accepts connections (with --listen HOST:0, the port it picked)."
        )
        var portFile: String?

        func validate() throws {
            guard ListenAddress(listen) != nil else { throw ValidationError("--listen must be HOST:PORT, e.g. 127.0.0.1:8700") }
            do { _ = try FaultPlan(spec: faults) } catch { throw ValidationError("--faults: \(error)") }
            for name in emulated where !["shipping", "storefront"].contains(name) {
                throw ValidationError("--emulate: unknown provider '\(name)'; use shipping, storefront")
            }
            guard storefrontRestoreRate > 0 else { throw ValidationError("--storefront-restore-rate must be positive") }
            if !emulated.isEmpty, emulatorKeyFile == nil { throw ValidationError("--emulate needs --emulator-key-file FILE (the API key)") }
            guard shippingRequestsPerMinute > 0 else { throw ValidationError("--shipping-requests-per-minute must be positive") }
        }

        private var emulated: [String] {
            emulate.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }

        /// The emulator's API key, from its file.
        private func emulatorKey() throws -> String {
            guard let path = emulatorKeyFile else { throw ValidationError("--emulate needs --emulator-key-file FILE") }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read \(path)") }
            let key = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !key.isEmpty else { throw ValidationError("\(path) is empty; write the API key in it") }
            return key
        }

        func run() async throws {
            let address = ListenAddress(listen)!
            let server = HubServer(
                configuration: .init(
                    host: address.host,
                    port: address.port,
                    databasePath: db,
                    faults: try FaultPlan(spec: faults),
                    accessTokenLifetime: accessTTL,
                    shipping: emulated.contains("shipping")
                        ? ShippingEmulation(apiKey: try emulatorKey(), requestsPerMinute: shippingRequestsPerMinute) : nil,
                    storefront: emulated.contains("storefront")
                        ? StorefrontEmulation(accessToken: try emulatorKey(), restoreRate: storefrontRestoreRate) : nil
                ),
                logger: Logger(label: "waybill.hub")
            )
            let portFile = portFile
            try await server.run { port in
                print("waybill-hub listening on \(address.host):\(port)")
                fflush(nil)
                guard let portFile else { return }
                // Written beside and renamed: a reader never sees a half-written port.
                do {
                    try Data("\(port)\n".utf8).write(to: URL(fileURLWithPath: portFile), options: .atomic)
                } catch {
                    FileHandle.standardError.write(Data("cannot write the port file \(portFile): \(error)\n".utf8))
                }
            }
        }
    }
}

/// `HOST:PORT`, IPv6 hosts in brackets.
struct ListenAddress {
    let host: String
    let port: Int

    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            return nil
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }
}
