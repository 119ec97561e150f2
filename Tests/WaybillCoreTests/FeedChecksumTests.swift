import Testing
import WaybillCore

/// The feed checksum is XXH64 with seed 0: the reference implementation's values (python-xxhash 3).
@Suite struct FeedChecksumTests {
    @Test(arguments: [
        ("", "ef46db3751d8e999"),
        ("a", "d24ec4f1a98c6e5b"),
        ("abc", "44bc2cf5ad770999"),
        ("The quick brown fox jumps over the lazy dog", "0b242d361fda71bc"),
    ])
    func matchesTheReference(_ text: String, _ expected: String) {
        #expect(FeedChecksum.of(Array(text.utf8)) == expected)
    }

    @Test func matchesTheReference_acrossLanesAndTails() {
        // 768 bytes: 24 full 32-byte stripes; 0..255 three times.
        let bytes = (0..<768).map { UInt8($0 % 256) }
        #expect(FeedChecksum.of(bytes) == "8e03c838c596036f")
    }

    @Test func anyChangedByteChangesIt() {
        let bytes = Array(#"[{"entity":"order","id":"O-1","version":3}]"#.utf8)
        let original = FeedChecksum.of(bytes)
        for index in bytes.indices {
            var changed = bytes
            changed[index] ^= 0x01
            #expect(FeedChecksum.of(changed) != original, "byte \(index)")
        }
        #expect(FeedChecksum.of(bytes.dropLast()) != original, "a truncated page")
    }
}
