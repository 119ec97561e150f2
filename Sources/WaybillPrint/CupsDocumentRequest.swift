import CCups
import Glibc

/// Sends an IPP request with its document (a Print-Job) to cupsd in one go: a fixed
/// `Content-Length`, no `Expect: 100-continue`, one flush.
///
/// `cupsSendRequest` with a variable length sends the request header, waits for cupsd's
/// `100 Continue`, then sends the document in chunks, a write each: two passes of cupsd's event loop
/// and about ten writes per label. In one go cupsd reads the whole request at once and answers once
/// (measured against a private cupsd: 0.24-0.32 ms per Print-Job instead of 0.33-0.51 ms).
///
/// Anything but a plain answer (cupsd asking for authentication or for TLS, a redirect) is declined
/// before the document counts as sent, and the caller goes through `cupsSendRequest`, which handles
/// those. A connection that breaks after the request was sent is reported as broken, never retried
/// here: the job may exist, and the spooler finds it by name before it sends the label again.
enum CupsDocumentRequest {
    enum Outcome {
        /// cupsd answered (any IPP status); the caller owns the response.
        case answered(OpaquePointer)
        /// cupsd wants something this path does not do; nothing was created, send it the usual way.
        case declined
        /// The connection failed or broke (why); the job may or may not exist.
        case broken(String)
    }

    static func send(_ http: OpaquePointer, _ request: OpaquePointer, resource: String, document: [UInt8]) -> Outcome {
        // A keep-alive connection cupsd closed meanwhile reads as ready (end of file): reconnect first.
        if httpCheck(http) != 0, httpReconnect2(http, 5000, nil) != 0 { return .declined }
        httpClearFields(http)
        httpSetField(http, HTTP_FIELD_CONTENT_TYPE, "application/ipp")
        httpSetLength(http, ippLength(request) + document.count)
        httpSetExpect(http, HTTP_STATUS_NONE)
        guard httpPost(http, resource) == 0 else { return .declined }
        ippSetState(request, IPP_STATE_IDLE)
        while true {
            let state = ippWrite(http, request)
            if state == IPP_STATE_DATA { break }
            if state == IPP_STATE_ERROR { return .broken(reason(http)) }
        }
        let written = document.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { httpWrite2(http, $0.baseAddress, $0.count) }
        }
        guard written == document.count, httpFlushWrite(http) >= 0 else { return .broken(reason(http)) }
        var status = httpUpdate(http)
        while status == HTTP_STATUS_CONTINUE { status = httpUpdate(http) }
        switch status {
        case HTTP_STATUS_OK:
            let response = ippNew()!
            while true {
                let state = ippRead(http, response)
                if state == IPP_STATE_DATA { break }
                if state == IPP_STATE_ERROR {
                    ippDelete(response)
                    return .broken(reason(http))
                }
            }
            if httpGetState(http) != HTTP_STATE_WAITING { httpFlush(http) }
            return .answered(response)
        case HTTP_STATUS_ERROR:
            return .broken(reason(http))
        default:
            // Authentication, an upgrade to TLS, a redirect: cupsd read the request but created nothing.
            httpFlush(http)
            return .declined
        }
    }

    private static func reason(_ http: OpaquePointer) -> String {
        let code = httpError(http)
        return code == 0 ? "the connection to cupsd broke" : String(cString: strerror(code))
    }

    /// The response's `status-message`, which says why cupsd refused.
    static func statusMessage(_ response: OpaquePointer) -> String? {
        guard let attribute = ippFindAttribute(response, "status-message", IPP_TAG_TEXT), let text = ippGetString(attribute, 0, nil) else {
            return nil
        }
        return String(cString: text)
    }
}
