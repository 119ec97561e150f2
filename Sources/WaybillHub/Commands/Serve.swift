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
        }

        func run() async throws {
            let address = ListenAddress(listen)!
            let server = HubServer(
                configuration: .init(
                    host: address.host,
                    port: address.port,
                    databasePath: db,
                    faults: try FaultPlan(spec: faults),
                    accessTokenLifetime: accessTTL
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
