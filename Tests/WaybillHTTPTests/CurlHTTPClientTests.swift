import Testing
import WaybillHTTP

@Suite struct CurlHTTPClientTests {
    @Test func refusedConnection_isAConnectError() async throws {
        let client = CurlHTTPClient()
        // Port 1 on loopback: nothing listens there, so the kernel refuses at once.
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.send(HTTPRequest(url: "http://127.0.0.1:1/v1/changes"))
        }
        #expect(error?.code == .connect)
        #expect(error?.isRetryable == true)
    }

    @Test func malformedURL_isAnInvalidRequest() async throws {
        let error = await #expect(throws: HTTPClientError.self) {
            try await CurlHTTPClient().send(HTTPRequest(url: "nope://"))
        }
        #expect(error?.code == .invalidRequest)
        #expect(error?.isRetryable == false)
    }

    @Test func headerWithALineBreak_isRefusedBeforeSending() async throws {
        let request = HTTPRequest(url: "http://127.0.0.1:1/", headers: [(name: "X-Test", value: "a\r\nInjected: 1")])
        let error = await #expect(throws: HTTPClientError.self) {
            try await CurlHTTPClient().send(request)
        }
        #expect(error?.code == .invalidRequest)
    }
}
