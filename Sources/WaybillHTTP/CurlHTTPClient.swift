import CCurl
import Foundation
import Synchronization
import WaybillCore

/// An HTTP/1.1 client on libcurl, with timeouts on every request, TLS verification and proxies.
///
/// Each transfer blocks a thread of its own, never one of Swift's cooperative pool nor one of
/// Dispatch's width-limited workers (which GRDB and others need to make progress), and easy handles
/// are reused so connections stay alive between requests. Cancelling the calling task aborts its
/// transfer.
public final class CurlHTTPClient: Sendable {
    public let configuration: HTTPClientConfiguration
    private let idleHandles = Mutex<[CurlHandle]>([])

    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) {
        _ = curlGlobalInit
        self.configuration = configuration
    }

    deinit {
        idleHandles.withLock { handles in
            for handle in handles { curl_easy_cleanup(handle.raw) }
            handles.removeAll()
        }
    }

    /// Sends `request` and returns the server's response, whatever its status.
    ///
    /// - Throws: ``HTTPClientError`` when no complete response arrived (connect, TLS, timeout,
    ///   broken connection, cancellation).
    public func send(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse {
        let flag = CancellationFlag()
        let result: Result<HTTPResponse, HTTPClientError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                Thread.start(named: "waybill.http") {
                    continuation.resume(returning: self.perform(request, cancellation: flag))
                }
            }
        } onCancel: {
            flag.cancel()
        }
        return try result.get()
    }

    private func perform(_ request: HTTPRequest, cancellation: CancellationFlag) -> Result<HTTPResponse, HTTPClientError> {
        let handle = checkOut()
        defer { checkIn(handle) }
        let transfer = Transfer(cancellation: cancellation)
        let context = Unmanaged.passRetained(transfer)
        defer { context.release() }

        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for (name, value) in request.headers {
            guard !name.contains(where: \.isNewline), !value.contains(where: \.isNewline) else {
                return .failure(HTTPClientError(.invalidRequest, "header \(name) contains a line break"))
            }
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        // Never send "Expect: 100-continue": it costs a round trip per POST.
        headerList = curl_slist_append(headerList, "Expect:")

        let raw = handle.raw
        let timeout = request.timeout ?? configuration.requestTimeout
        var setup = [
            waybill_curl_setopt_string(raw, CURLOPT_URL, request.url),
            waybill_curl_setopt_long(raw, CURLOPT_NOSIGNAL, 1),
            waybill_curl_setopt_long(raw, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(configuration.connectTimeout)),
            waybill_curl_setopt_long(raw, CURLOPT_TIMEOUT_MS, Self.milliseconds(timeout)),
            waybill_curl_setopt_long(raw, CURLOPT_SSL_VERIFYPEER, configuration.verifyTLS ? 1 : 0),
            waybill_curl_setopt_long(raw, CURLOPT_SSL_VERIFYHOST, configuration.verifyTLS ? 2 : 0),
            waybill_curl_setopt_string(raw, CURLOPT_USERAGENT, configuration.userAgent),
            waybill_curl_setopt_string(raw, CURLOPT_ACCEPT_ENCODING, ""),
            waybill_curl_setopt_slist(raw, CURLOPT_HTTPHEADER, headerList),
            waybill_curl_setopt_data_callback(raw, CURLOPT_WRITEFUNCTION, Transfer.onBody),
            waybill_curl_setopt_pointer(raw, CURLOPT_WRITEDATA, context.toOpaque()),
            waybill_curl_setopt_data_callback(raw, CURLOPT_HEADERFUNCTION, Transfer.onHeader),
            waybill_curl_setopt_pointer(raw, CURLOPT_HEADERDATA, context.toOpaque()),
            // Reads of up to 128 KiB instead of libcurl's 16 KiB: a changes page of megabytes arrives in
            // fewer reads and callbacks (the curl tool reads 100 KiB at a time).
            waybill_curl_setopt_long(raw, CURLOPT_BUFFERSIZE, 128 * 1024),
            waybill_curl_setopt_long(raw, CURLOPT_NOPROGRESS, 0),
            waybill_curl_setopt_xferinfo_callback(raw, Transfer.onProgress),
            waybill_curl_setopt_pointer(raw, CURLOPT_XFERINFODATA, context.toOpaque()),
        ]
        if let caFile = configuration.caFile { setup.append(waybill_curl_setopt_string(raw, CURLOPT_CAINFO, caFile)) }
        if let proxy = configuration.proxy { setup.append(waybill_curl_setopt_string(raw, CURLOPT_PROXY, proxy)) }
        if request.freshConnection {
            // A reused connection found dead makes libcurl send the request again by itself: harmless
            // for idempotent requests, a second purchase for one that is not.
            setup.append(waybill_curl_setopt_long(raw, CURLOPT_FRESH_CONNECT, 1))
            setup.append(waybill_curl_setopt_long(raw, CURLOPT_FORBID_REUSE, 1))
        }
        switch request.method {
        case "GET" where request.body.isEmpty:
            setup.append(waybill_curl_setopt_long(raw, CURLOPT_HTTPGET, 1))
        default:
            if request.method != "POST" {
                setup.append(waybill_curl_setopt_string(raw, CURLOPT_CUSTOMREQUEST, request.method))
            }
            setup.append(waybill_curl_setopt_long(raw, CURLOPT_POST, 1))
            setup.append(waybill_curl_setopt_off_t(raw, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
            setup.append(
                request.body.withUnsafeBytes { bytes in
                    // COPYPOSTFIELDS copies the bytes, so the buffer need not outlive this call.
                    waybill_curl_setopt_pointer(
                        raw,
                        CURLOPT_COPYPOSTFIELDS,
                        UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1))
                    )
                }
            )
        }
        if let failed = setup.first(where: { $0 != CURLE_OK }) {
            return .failure(HTTPClientError(.invalidRequest, "cannot set up the request: \(Self.describe(failed))"))
        }

        let code = curl_easy_perform(raw)
        guard code == CURLE_OK else { return .failure(Self.error(for: code, url: request.url)) }
        var status = 0
        _ = waybill_curl_getinfo_long(raw, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPResponse(status: status, headers: transfer.headers, body: transfer.body))
    }

    private func checkOut() -> CurlHandle {
        if let handle = idleHandles.withLock({ $0.popLast() }) {
            curl_easy_reset(handle.raw)
            return handle
        }
        return CurlHandle(raw: curl_easy_init())
    }

    private func checkIn(_ handle: CurlHandle) {
        idleHandles.withLock { $0.append(handle) }
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        max(1, Int(duration / .milliseconds(1)))
    }

    private static func describe(_ code: CURLcode) -> String {
        String(cString: curl_easy_strerror(code))
    }

    private static func error(for code: CURLcode, url: String) -> HTTPClientError {
        let text = "\(describe(code)) (\(url))"
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return HTTPClientError(.timeout, text)
        case CURLE_ABORTED_BY_CALLBACK:
            return HTTPClientError(.cancelled, text)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT:
            return HTTPClientError(.connect, text)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return HTTPClientError(.invalidRequest, text)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CACERT_BADFILE,
            CURLE_SSL_CERTPROBLEM:
            return HTTPClientError(.tls, text)
        default:
            return HTTPClientError(.transport, text)
        }
    }
}

/// libcurl's one-time global set-up, run before the first handle exists (HTTP and SMTP alike).
let curlGlobalInit: Void = {
    _ = waybill_curl_global_init()
}()

/// An easy handle; only one transfer uses it at a time, handed over under the pool's lock.
private struct CurlHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer?
}

/// Set from any thread when the requesting task is cancelled; read by the transfer's progress callback.
private final class CancellationFlag: Sendable {
    private let cancelled = Atomic<Bool>(false)
    func cancel() { cancelled.store(true, ordering: .relaxed) }
    var isCancelled: Bool { cancelled.load(ordering: .relaxed) }
}

/// What one transfer received; touched only by libcurl's callbacks on the transfer's thread.
private final class Transfer {
    let cancellation: CancellationFlag
    var body: [UInt8] = []
    var headers: [(name: String, value: String)] = []
    /// The final answer's Content-Length, and whether its body is encoded (compressed: longer once
    /// libcurl decodes it).
    var announcedLength: Int?
    var encoded = false
    /// The most room a body's announced length reserves before its bytes arrive.
    static let reservedBodyLimit = 32 << 20

    init(cancellation: CancellationFlag) {
        self.cancellation = cancellation
    }

    static let onBody: waybill_curl_data_callback = { data, size, count, userdata in
        let transfer = Unmanaged<Transfer>.fromOpaque(userdata!).takeUnretainedValue()
        let length = size * count
        if let data, length > 0 {
            if transfer.body.isEmpty, !transfer.encoded, let announced = transfer.announcedLength, announced > length {
                // The body's room at once (not grown and copied a dozen times for a page of megabytes);
                // what a server announces is trusted only up to `reservedBodyLimit`.
                transfer.body.reserveCapacity(min(announced, Transfer.reservedBodyLimit))
            }
            data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
                transfer.body.append(contentsOf: UnsafeBufferPointer(start: bytes, count: length))
            }
        }
        return length
    }

    static let onHeader: waybill_curl_data_callback = { data, size, count, userdata in
        let transfer = Unmanaged<Transfer>.fromOpaque(userdata!).takeUnretainedValue()
        let length = size * count
        guard let data, length > 0 else { return length }
        let line = data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
            String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
        }
        if line.hasPrefix("HTTP/") {
            // A new status line (after a redirect or an interim response): keep only the final headers.
            transfer.headers.removeAll()
            transfer.announcedLength = nil
            transfer.encoded = false
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            transfer.headers.append((name: name, value: value))
            if name.caseInsensitiveCompare("Content-Length") == .orderedSame {
                transfer.announcedLength = Int(value)
            } else if name.caseInsensitiveCompare("Content-Encoding") == .orderedSame {
                transfer.encoded = value.caseInsensitiveCompare("identity") != .orderedSame
            }
        }
        return length
    }

    static let onProgress: waybill_curl_xferinfo_callback = { userdata, _, _, _, _ in
        let transfer = Unmanaged<Transfer>.fromOpaque(userdata!).takeUnretainedValue()
        return transfer.cancellation.isCancelled ? 1 : 0
    }
}
