import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Unmaps the agent's start-up code once the agent first goes idle.
///
/// Start-up (arguments, configuration, migrations, the first full pull) runs code and reads tables
/// of the `waybill` executable that an idle agent never needs again, and the kernel maps file pages
/// 64 KB around each page touched, so they stay resident for the life of the process. Once, after
/// start-up, the executable's read-only mappings (code, constant tables, type metadata) are advised
/// `MADV_DONTNEED`: the pages leave the agent's page tables and stay in the page cache, where the
/// kernel may reclaim them, and the next polls fault back in (from the cache, without reading the
/// disk) only the code an idle poll runs. Only pages still backed by the file are advised: a page
/// the loader wrote (relocated pointers, read-only since) is anonymous, would be lost, and is left
/// alone, as are writable mappings. It needs no privilege (the agent runs as `waybill`, the binary
/// belongs to root), unlike `MADV_PAGEOUT`, which reclaims only pages of files one may write.
///
/// Measured with `waybill-bench idle --http` (shipped build, local HTTP on): RSS 30.6-31.2 MB before,
/// 26.4-26.5 MB with it; the executable's resident pages 14.1 MB -> 9.7-10.0 MB.
enum StartUpCode {
    /// Advises the executable's read-only mappings out of the agent's page tables.
    /// - Returns: the bytes advised (0 when nothing could be, or off Linux).
    @discardableResult
    static func release() -> Int {
        #if os(Linux)
            // procfs reports size 0: read to the end rather than by the file's size.
            guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
                let maps = FileHandle(forReadingAtPath: "/proc/self/maps").map({ String(decoding: $0.readDataToEndOfFile(), as: UTF8.self) })
            else { return 0 }
            let pagemap = open("/proc/self/pagemap", O_RDONLY)
            guard pagemap >= 0 else { return 0 }
            defer { close(pagemap) }
            let pageSize = sysconf(Int32(_SC_PAGESIZE))
            var advised = 0
            for mapping in readOnlyMappings(in: maps, of: executable) {
                let entries = pageEntries(
                    pagemap,
                    from: mapping.lowerBound,
                    pages: (mapping.upperBound - mapping.lowerBound) / pageSize,
                    pageSize: pageSize
                )
                for run in filePageRuns(entries) {
                    let length = run.count * pageSize
                    let start = UnsafeMutableRawPointer(bitPattern: mapping.lowerBound + run.lowerBound * pageSize)
                    if madvise(start, length, MADV_DONTNEED) == 0 { advised += length }
                }
            }
            return advised
        #else
            return 0
        #endif
    }

    /// The address ranges of `/proc/self/maps` lines that map `path` without write permission.
    static func readOnlyMappings(in maps: String, of path: String) -> [Range<Int>] {
        maps.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, fields[5].trimmingPrefix(while: { $0 == " " }) == path, !fields[1].contains("w") else { return nil }
            let bounds = fields[0].split(separator: "-")
            guard bounds.count == 2, let low = Int(bounds[0], radix: 16), let high = Int(bounds[1], radix: 16), low < high else { return nil }
            return low..<high
        }
    }

    /// Runs of consecutive pages that are present and backed by the file, from `/proc/self/pagemap`
    /// entries (bit 63: present; bit 61: a file page, clear for a page the process wrote).
    static func filePageRuns(_ entries: [UInt64]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var start: Int?
        for (index, entry) in entries.enumerated() {
            let filePage = entry & (1 << 63) != 0 && entry & (1 << 61) != 0
            if filePage, start == nil { start = index }
            if !filePage, let first = start {
                runs.append(first..<index)
                start = nil
            }
        }
        if let first = start { runs.append(first..<entries.count) }
        return runs
    }

    #if os(Linux)
        /// The pagemap entries of `pages` pages from `address`; empty when they cannot be read.
        private static func pageEntries(_ pagemap: Int32, from address: Int, pages: Int, pageSize: Int) -> [UInt64] {
            var entries = [UInt64](repeating: 0, count: pages)
            let wanted = pages * MemoryLayout<UInt64>.size
            let offset = off_t(address / pageSize * MemoryLayout<UInt64>.size)
            let count = entries.withUnsafeMutableBytes { pread(pagemap, $0.baseAddress, wanted, offset) }
            return count == wanted ? entries : []
        }
    #endif
}
