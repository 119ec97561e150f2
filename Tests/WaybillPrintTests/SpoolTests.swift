import Foundation
import Testing
import WaybillPrint
import WaybillTestSupport

@Suite struct SpoolTests {
    @Test func write_storesTheExactBytesAndLeavesNoTemporaryFile() throws {
        let folder = try TemporaryDirectory()
        let spool = Spool(directory: folder.file("spool/nested"))
        let bytes = Array("^XA^FO50,50^FDhello^FS^XZ".utf8) + [0, 255, 10]
        let path = try spool.write(bytes, named: "L-1.zpl")
        #expect(path == spool.path(for: "L-1.zpl"))
        #expect(try spool.read(named: "L-1.zpl") == bytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool.directory) == ["L-1.zpl"])
    }

    @Test func write_replacesAnEarlierFileWhole() throws {
        let folder = try TemporaryDirectory()
        let spool = Spool(directory: folder.path)
        try spool.write(Array(repeating: 1, count: 100_000), named: "L-2.pdf")
        try spool.write([2, 3], named: "L-2.pdf")
        #expect(try spool.read(named: "L-2.pdf") == [2, 3])
    }

    @Test func write_underAFileInsteadOfAFolder_failsWithThePath() throws {
        let folder = try TemporaryDirectory()
        _ = FileManager.default.createFile(atPath: folder.file("plain"), contents: Data())
        let spool = Spool(directory: folder.file("plain/spool"))
        let error = #expect(throws: SpoolError.self) {
            try spool.checkWritable()
        }
        #expect(error?.description.contains(folder.file("plain")) == true)
    }

    @Test func batchWrite_storesEveryLabelWhole_andLeavesNoTemporaryFile() throws {
        let folder = try TemporaryDirectory()
        let spool = Spool(directory: folder.file("spool"))
        let files = (0..<40).map { (name: "L-\($0).zpl", bytes: Array("^XA^FD\($0)^FS^XZ".utf8) + [UInt8($0)]) }
        let paths = try spool.write(batch: files)
        #expect(paths == files.map { spool.path(for: $0.name) })
        for file in files { #expect(try spool.read(named: file.name) == file.bytes) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool.directory).count == 40)
    }

    @Test func read_ofAMissingLabel_throws() throws {
        let folder = try TemporaryDirectory()
        #expect(throws: SpoolError.self) {
            try Spool(directory: folder.path).read(named: "missing.zpl")
        }
    }
}
