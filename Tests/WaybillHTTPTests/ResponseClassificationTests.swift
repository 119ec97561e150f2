import Foundation
import Testing
import WaybillHTTP

@Suite struct ResponseClassificationTests {
    @Test func classification_coversTheStatusesThatMatter() {
        #expect(ResponseClassification(status: 200) == .success)
        #expect(ResponseClassification(status: 204) == .success)
        #expect(ResponseClassification(status: 401) == .refreshCredentials)
        for status in [408, 425, 429, 500, 502, 503, 504] {
            #expect(ResponseClassification(status: status) == .retry, "\(status)")
        }
        for status in [400, 403, 404, 409, 410, 422, 501, 505] {
            #expect(ResponseClassification(status: status) == .permanent, "\(status)")
        }
    }

    @Test func retryAfter_readsSecondsAndHTTPDates() {
        let now = Date(timeIntervalSince1970: 1_445_412_480)  // Wed, 21 Oct 2015 07:28:00 GMT
        #expect(RetryAfter.parse("120") == .seconds(120))
        #expect(RetryAfter.parse(" 0 ") == .seconds(0))
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:29:00 GMT", now: now) == .seconds(60))
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:27:00 GMT", now: now) == .seconds(0))
        #expect(RetryAfter.parse("-5") == nil)
        #expect(RetryAfter.parse("soon") == nil)
    }
}
