import CCurl
import Foundation
import Synchronization
import WaybillCore

/// Sends mail through libcurl's SMTP support: `MAIL FROM`, one `RCPT TO` per recipient, then the
/// message's bytes as they are (a message is composed, and stored, before it is sent).
///
/// TLS is required (`CURLUSESSL_ALL`) unless ``SMTPSettings/allowPlaintext``; the server's
/// certificate is always verified. Each send blocks a thread of its own, never the cooperative pool.
public struct SMTPMailer: Sendable {
    public let settings: SMTPSettings

    public init(settings: SMTPSettings) {
        _ = curlGlobalInit
        self.settings = settings
    }

    /// Connects, sets up TLS, logs in and says `NOOP`, sending nothing: what `waybill doctor` checks.
    /// - Throws: ``SMTPError``, saying what failed.
    public func check() async throws(SMTPError) {
        try await onOwnThread { self.perform(nil, from: nil, to: []) }
    }

    /// Sends `message` from `from` to every address of `to`.
    /// - Throws: ``SMTPError``, saying whether to try again.
    public func send(_ message: [UInt8], from: String, to: [String]) async throws(SMTPError) {
        try await onOwnThread { self.perform(message, from: from, to: to) }
    }

    private func onOwnThread(_ work: @escaping @Sendable () -> Result<Void, SMTPError>) async throws(SMTPError) {
        let result: Result<Void, SMTPError> = await withCheckedContinuation { continuation in
            Thread.start(named: "waybill.smtp") { continuation.resume(returning: work()) }
        }
        try result.get()
    }

    /// Sends `message` (or, when nil, only checks the connection and login with `NOOP`).
    private func perform(_ message: [UInt8]?, from: String?, to: [String]) -> Result<Void, SMTPError> {
        for address in [from].compactMap({ $0 }) + to where !Self.isAddress(address) {
            return .failure(SMTPError(.invalid, reply: 0, "\"\(address)\" is not an email address"))
        }
        let scheme = settings.url.prefix { $0 != ":" }.lowercased()
        guard scheme == "smtp" || scheme == "smtps" else {
            return .failure(SMTPError(.invalid, reply: 0, "smtp.url must start with smtp:// or smtps://"))
        }
        guard let raw = curl_easy_init() else { return .failure(SMTPError(.transport, reply: 0, "libcurl could not start")) }
        defer { curl_easy_cleanup(raw) }
        var recipients: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(recipients) }
        for address in to { recipients = curl_slist_append(recipients, "<\(address)>") }
        let upload = Upload(bytes: message ?? [])
        let context = Unmanaged.passRetained(upload)
        defer { context.release() }
        var setup = [
            waybill_curl_setopt_string(raw, CURLOPT_URL, settings.url),
            waybill_curl_setopt_long(raw, CURLOPT_NOSIGNAL, 1),
            waybill_curl_setopt_long(raw, CURLOPT_TIMEOUT_MS, max(1, Int(settings.timeout / .milliseconds(1)))),
            waybill_curl_setopt_long(raw, CURLOPT_CONNECTTIMEOUT_MS, 15_000),
            waybill_curl_setopt_long(raw, CURLOPT_USE_SSL, Int(settings.allowPlaintext ? CURLUSESSL_TRY.rawValue : CURLUSESSL_ALL.rawValue)),
            waybill_curl_setopt_long(raw, CURLOPT_SSL_VERIFYPEER, 1),
            waybill_curl_setopt_long(raw, CURLOPT_SSL_VERIFYHOST, 2),
        ]
        if let message, let from {
            setup += [
                waybill_curl_setopt_string(raw, CURLOPT_MAIL_FROM, "<\(from)>"),
                waybill_curl_setopt_slist(raw, CURLOPT_MAIL_RCPT, recipients),
                waybill_curl_setopt_long(raw, CURLOPT_UPLOAD, 1),
                waybill_curl_setopt_off_t(raw, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.count)),
                waybill_curl_setopt_data_callback(raw, CURLOPT_READFUNCTION, Upload.onRead),
                waybill_curl_setopt_pointer(raw, CURLOPT_READDATA, context.toOpaque()),
            ]
        } else {
            setup += [
                waybill_curl_setopt_string(raw, CURLOPT_CUSTOMREQUEST, "NOOP"),
                waybill_curl_setopt_data_callback(raw, CURLOPT_WRITEFUNCTION, Upload.discard),
            ]
        }
        if let username = settings.username { setup.append(waybill_curl_setopt_string(raw, CURLOPT_USERNAME, username)) }
        if let password = settings.password { setup.append(waybill_curl_setopt_string(raw, CURLOPT_PASSWORD, password)) }
        if let caFile = settings.caFile { setup.append(waybill_curl_setopt_string(raw, CURLOPT_CAINFO, caFile)) }
        if let failed = setup.first(where: { $0 != CURLE_OK }) {
            return .failure(SMTPError(.invalid, reply: 0, "cannot set up the mail: \(String(cString: curl_easy_strerror(failed)))"))
        }
        let code = curl_easy_perform(raw)
        var reply = 0
        _ = waybill_curl_getinfo_long(raw, CURLINFO_RESPONSE_CODE, &reply)
        guard code != CURLE_OK else { return .success(()) }
        let text = "\(String(cString: curl_easy_strerror(code))) (\(settings.url))"
        switch (code, reply / 100) {
        case (_, 4): return .failure(SMTPError(.temporary, reply: reply, "the server asked to try later: \(text)"))
        case (_, 5): return .failure(SMTPError(.permanent, reply: reply, "the server refused the mail: \(text)"))
        case (CURLE_USE_SSL_FAILED, _):
            return .failure(
                SMTPError(.tls, reply: reply, "the server offers no STARTTLS; set smtp.allow_plaintext: true only for a trusted local relay: \(text)")
            )
        case (CURLE_PEER_FAILED_VERIFICATION, _), (CURLE_SSL_CONNECT_ERROR, _), (CURLE_SSL_CACERT_BADFILE, _), (CURLE_SSL_CERTPROBLEM, _):
            return .failure(SMTPError(.tls, reply: reply, "TLS failed; check smtp.ca_file and the server's certificate: \(text)"))
        case (CURLE_LOGIN_DENIED, _):
            return .failure(SMTPError(.permanent, reply: reply, "the server refused smtp.user and its password: \(text)"))
        case (CURLE_URL_MALFORMAT, _), (CURLE_UNSUPPORTED_PROTOCOL, _):
            return .failure(SMTPError(.invalid, reply: reply, text))
        default:
            return .failure(SMTPError(.transport, reply: reply, text))
        }
    }

    /// `local@domain`, printable ASCII, no spaces, angle brackets or line breaks (nothing that could
    /// add an SMTP command).
    static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && text.utf8.count <= 254
            && text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F && !"<>(),;:\\\"[]".unicodeScalars.contains($0) }
    }
}

/// The message being uploaded; read only by libcurl's callback on the transfer's thread.
private final class Upload {
    let bytes: [UInt8]
    var offset = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Drops what the server says to a command (the check's `NOOP`).
    static let discard: waybill_curl_data_callback = { _, size, count, _ in size * count }

    static let onRead: waybill_curl_data_callback = { buffer, size, count, userdata in
        let upload = Unmanaged<Upload>.fromOpaque(userdata!).takeUnretainedValue()
        let length = min(size * count, upload.bytes.count - upload.offset)
        guard let buffer, length > 0 else { return 0 }
        upload.bytes.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + upload.offset, byteCount: length)
        }
        upload.offset += length
        return length
    }
}
