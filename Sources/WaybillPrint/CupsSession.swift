import CCups
import Glibc

/// The libcups side of ``CupsClient``: one HTTP connection to cupsd and the cached destinations.
/// Lives on, and is only touched from, the client's dedicated thread.
final class CupsSession {
    let server: String?
    private var http: OpaquePointer?
    private var destinations: [String: (dest: UnsafeMutablePointer<cups_dest_t>, info: OpaquePointer?)] = [:]

    init(server: String?) {
        self.server = server
        if let server { cupsSetServer(server) }
    }

    /// Where the session connects, for messages.
    var serverName: String { String(cString: cupsServer()) }

    /// The open connection, connecting first when needed.
    func connection() throws(PrintError) -> OpaquePointer {
        if let http { return http }
        let host = serverName
        let port = host.hasPrefix("/") ? 0 : ippPort()
        var hostOnly = host
        var portNumber = port
        if !host.hasPrefix("/"), let colon = host.lastIndex(of: ":"), let parsed = Int32(host[host.index(after: colon)...]) {
            hostOnly = String(host[..<colon])
            portNumber = parsed
        }
        guard let opened = httpConnect2(hostOnly, portNumber, nil, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1, 5000, nil) else {
            throw Self.unreachable(host, detail: String(cString: strerror(errno)))
        }
        httpSetTimeout(opened, 10, nil, nil)
        http = opened
        return opened
    }

    /// Drops the connection and the cache (after a transport error, or cupsd restarting).
    func reset() {
        if let http { httpClose(http) }
        http = nil
        for entry in destinations.values {
            if let info = entry.info { cupsFreeDestInfo(info) }
            cupsFreeDests(1, entry.dest)
        }
        destinations.removeAll()
    }

    /// The queue's destination and its info, from the cache or CUPS.
    @discardableResult
    func destination(_ name: String) throws(PrintError) -> UnsafeMutablePointer<cups_dest_t> {
        if let cached = destinations[name] { return cached.dest }
        let http = try connection()
        guard let dest = cupsGetNamedDest(http, name, nil) else {
            let status = cupsLastError()
            if Self.isTransport(status) {
                reset()
                throw Self.unreachable(serverName, detail: lastError())
            }
            throw PrintError.fault(.queueMissing, printer: name)
        }
        destinations[name] = (dest, cupsCopyDestInfo(http, dest))
        return dest
    }

    /// Forgets one queue's cached destination (it was deleted or re-created).
    func forget(_ name: String) {
        guard let entry = destinations.removeValue(forKey: name) else { return }
        if let info = entry.info { cupsFreeDestInfo(info) }
        cupsFreeDests(1, entry.dest)
    }

    /// Sends `request` (consumed) and returns the response, mapping failures to ``PrintError``.
    func send(_ request: OpaquePointer, resource: String, printer: String?, document: [UInt8]? = nil) throws(PrintError) -> IPPResponse {
        let http = try connection()
        var response: OpaquePointer?
        var broken: String?
        if let document {
            switch CupsDocumentRequest.send(http, request, resource: resource, document: document) {
            case .answered(let answer): response = answer
            case .broken(let reason): broken = reason
            case .declined: response = sendChunked(http, request, resource: resource, document: document)
            }
            ippDelete(request)
        } else {
            response = cupsDoRequest(http, request, resource)
        }
        guard let response else {
            // No IPP answer at all: the connection failed or broke.
            let detail = broken ?? lastError()
            reset()
            throw Self.unreachable(serverName, detail: detail)
        }
        let status = ippGetStatusCode(response)
        guard status.rawValue < IPP_STATUS_REDIRECTION_OTHER_SITE.rawValue else {
            let detail = CupsDocumentRequest.statusMessage(response) ?? String(cString: ippErrorString(status))
            ippDelete(response)
            throw failure(status, printer: printer, detail: detail)
        }
        return IPPResponse(response)
    }

    /// `cupsSendRequest` with a chunked body (CUPS_LENGTH_VARIABLE), which authenticates and upgrades
    /// as cupsd asks (with a fixed length, cupsd answered but closed before libcups read it).
    private func sendChunked(_ http: OpaquePointer, _ request: OpaquePointer, resource: String, document: [UInt8]) -> OpaquePointer? {
        var status = cupsSendRequest(http, request, resource, Int(CUPS_LENGTH_VARIABLE))
        if status == HTTP_STATUS_CONTINUE {
            status = document.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { cupsWriteRequestData(http, $0.baseAddress, $0.count) }
            }
        }
        return status == HTTP_STATUS_CONTINUE ? cupsGetResponse(http, resource) : nil
    }

    private func failure(_ status: ipp_status_t, printer: String?, detail: String) -> PrintError {
        if Self.isTransport(status) {
            reset()
            return Self.unreachable(serverName, detail: detail)
        }
        if let printer {
            switch status {
            case IPP_STATUS_ERROR_NOT_FOUND:
                forget(printer)
                return .fault(.queueMissing, printer: printer, detail: detail)
            case IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS:
                return .fault(.queueRejecting, printer: printer, detail: detail)
            default: break
            }
        } else if status == IPP_STATUS_ERROR_NOT_FOUND {
            return PrintError(.notFound, printer: nil, "CUPS does not know it: \(detail)")
        }
        return PrintError(.requestFailed, printer: printer, "CUPS refused the request: \(detail); see the CUPS error log")
    }

    private func lastError() -> String {
        cupsLastErrorString().map { String(cString: $0) } ?? "unknown error"
    }

    static func isTransport(_ status: ipp_status_t) -> Bool {
        status == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE
    }

    static func unreachable(_ server: String, detail: String) -> PrintError {
        PrintError(
            .serverUnreachable,
            printer: nil,
            "cannot reach CUPS at \(server) (\(detail)); check that cupsd is running (systemctl status cups) and cups.server in the configuration"
        )
    }

    deinit { reset() }
}
