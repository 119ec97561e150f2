import Foundation
import Testing
import WaybillHTTP

/// The `Date` header the clock skew is read from, parsed by hand (no date formatter in the agent).
@Suite struct ClockSkewTests {
    @Test func readsIMFFixdates_andRefusesAnythingElse() {
        #expect(ClockSkew.httpDate("Sun, 06 Nov 1994 08:49:37 GMT") == Date(timeIntervalSince1970: 784_111_777))
        #expect(ClockSkew.httpDate("Thu, 01 Jan 1970 00:00:00 GMT") == Date(timeIntervalSince1970: 0))
        #expect(ClockSkew.httpDate("Tue, 29 Feb 2028 23:59:59 GMT") == Date(timeIntervalSince1970: 1_835_481_599))
        for bad in [
            "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 32 Nov 1994 08:49:37 GMT", "",
            "yesterday",
        ] {
            #expect(ClockSkew.httpDate(bad) == nil, "\(bad)")
        }
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(ClockSkew.measure(dateHeader: "Fri, 15 Jan 2027 07:55:00 GMT", sent: now, received: now) == 300)
    }
}
