import Foundation
import Testing

@testable import WaybillAgent

@Suite struct StartUpCodeTests {
    @Test func onlyTheExecutablesOwnReadOnlyMappingsAreFound() {
        let maps = """
            55d0c0000000-55d0c0699000 r--p 00000000 fe:00 1234                       /usr/bin/waybill
            55d0c0699000-55d0c1ed6000 r-xp 00699000 fe:00 1234                       /usr/bin/waybill
            55d0c1fd8000-55d0c4485000 rw-p 01fd5000 fe:00 1234                       /usr/bin/waybill
            55d0c4485000-55d0c45bb000 rw-p 00000000 00:00 0
            7f0000000000-7f0000100000 r-xp 00000000 fe:00 99                         /usr/lib/x86_64-linux-gnu/libc.so.6
            7f0000200000-7f0000300000 r-xp 00000000 fe:00 77                         /usr/bin/waybill-old (deleted)
            7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]
            """
        let found = StartUpCode.readOnlyMappings(in: maps, of: "/usr/bin/waybill")
        #expect(found == [0x55d0_c000_0000..<0x55d0_c069_9000, 0x55d0_c069_9000..<0x55d0_c1ed_6000])
    }

    @Test func runsCoverPresentFilePages_notAbsentOrWrittenOnes() {
        let present: UInt64 = 1 << 63
        let file: UInt64 = 1 << 61
        // file, file, absent, written (an anonymous copy: relocated by the loader), file, absent, file, file
        let entries: [UInt64] = [present | file, present | file, 0, present, present | file, file, present | file, present | file]
        #expect(StartUpCode.filePageRuns(entries) == [0..<2, 4..<5, 6..<8])
        #expect(StartUpCode.filePageRuns([]) == [])
    }

    #if os(Linux)
        @Test func releasingThisProcessesCodeAdvisesItsResidentPages_andTheProcessRunsOn() throws {
            // The test runner's code is resident (it is running). Afterwards it faults back in, and
            // what the loader relocated (type metadata, witness tables) is intact.
            #expect(StartUpCode.release() > 0)
            let encoded = try JSONEncoder().encode(["station": [1, 2, 3]])
            #expect(try JSONDecoder().decode([String: [Int]].self, from: encoded) == ["station": [1, 2, 3]])
            #expect(String(describing: Optional(StartUpCodeTests.self)) == "Optional(WaybillAgentTests.StartUpCodeTests)")
        }
    #endif
}
