import Testing
import WaybillCore

@Suite struct ZPLGraphicFieldTests {
    @Test func aSquare_fillsExactlyThePixelsWhoseCentresItCovers() {
        var bitmap = MonochromeBitmap(width: 20, height: 10)
        bitmap.fill([[(2, 1), (7, 1), (7, 6), (2, 6)]])
        #expect(bitmap.blackCount() == 25)
        #expect(bitmap.isBlack(x: 2, y: 1) && bitmap.isBlack(x: 6, y: 5))
        #expect(!bitmap.isBlack(x: 7, y: 5) && !bitmap.isBlack(x: 6, y: 6) && !bitmap.isBlack(x: 1, y: 1))
    }

    @Test func aContourTurningTheOtherWay_cutsAHole_andTwoTurningTheSameWay_join() {
        var ring = MonochromeBitmap(width: 10, height: 10)
        ring.fill([[(0, 0), (10, 0), (10, 10), (0, 10)], [(3, 3), (3, 7), (7, 7), (7, 3)]])
        #expect(ring.blackCount() == 100 - 16)
        #expect(!ring.isBlack(x: 5, y: 5) && ring.isBlack(x: 1, y: 5))
        var overlap = MonochromeBitmap(width: 10, height: 10)
        overlap.fill([[(0, 0), (6, 0), (6, 6), (0, 6)], [(3, 3), (9, 3), (9, 9), (3, 9)]])
        #expect(overlap.blackCount() == 36 + 36 - 9)
    }

    @Test func drawingPastTheEdges_isClipped_notACrash() {
        var bitmap = MonochromeBitmap(width: 9, height: 3)
        bitmap.fill([[(-50, -50), (50, -50), (50, 50), (-50, 50)]])
        #expect(bitmap.blackCount() == 27)
        #expect(bitmap.bytes == [0xFF, 0x80, 0xFF, 0x80, 0xFF, 0x80])
    }

    @Test func compression_writesRepeatCountsWhiteRestsAndRepeatedRows() {
        var bytes = [UInt8](repeating: 0, count: 3 * 40)
        for index in 0..<23 { bytes[index] = 0xFF }  // 46 F's, then white
        for index in 40..<63 { bytes[index] = 0xFF }  // the same row again
        let bitmap = MonochromeBitmap(bytes: bytes, bytesPerRow: 40)
        // 46 = 40 (h) + 6 (L); a white rest is ","; an equal row ":"; a white row ",".
        #expect(ZPLGraphicField.compressed(bitmap) == "hLF,:,")
        #expect(ZPLGraphicField.command(bitmap) == "^GFA,120,120,40,hLF,:,")
    }

    @Test func compression_roundTrips_throughWhatAPrinterReads() {
        var generator = SystemRandomNumberGenerator()
        for bytesPerRow in [1, 3, 16, 94, 141, 250] {
            for density in [0, 2, 50, 98, 100] {
                let bytes = (0..<(bytesPerRow * 7)).map { index -> UInt8 in
                    // Runs and repeated rows, as text has, and noise.
                    if index / bytesPerRow == 3 { return 0 }
                    if Int.random(in: 0..<100, using: &generator) < density { return UInt8.random(in: 0...255, using: &generator) }
                    return index % 5 == 0 ? 0xFF : 0
                }
                let bitmap = MonochromeBitmap(bytes: bytes, bytesPerRow: bytesPerRow)
                let data = ZPLGraphicField.compressed(bitmap)
                #expect(ZPLGraphicField.decompress(data, bytesPerRow: bytesPerRow) == bytes, "\(bytesPerRow) bytes a row, \(density) %")
                #expect(data.allSatisfy { "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYghijklmnopqrstuvwxyz,:".contains($0) })
            }
        }
    }

    @Test func decompress_refusesWhatIsNotGraphicData() {
        #expect(ZPLGraphicField.decompress("FF^FS", bytesPerRow: 1) == nil)
        #expect(ZPLGraphicField.decompress("FFF", bytesPerRow: 1) == nil, "a row overflows")
        #expect(ZPLGraphicField.decompress("F", bytesPerRow: 1) == nil, "half a row")
        #expect(ZPLGraphicField.decompress("zzF", bytesPerRow: 400) == [UInt8](repeating: 0xFF, count: 400))
    }

    @Test func aHostileLabel_isPreviewed_withoutACrashOrAFloodOfMemory() {
        let hostile = [
            "^XA^PW812^LL1218^FO0,9223372036854775807^GB10,10,1^FS^XZ",
            "^XA^FO-9223372036854775808,0^GB9223372036854775807,9223372036854775807,9223372036854775807^FS^XZ",
            "^XA^FO10,10^GFA,1,1,1000," + String(repeating: ":", count: 200_000) + "^FS^XZ",
            "^XA^FO10,10^GFA,1,1,1,zzzzzzzzzzzzzzzzF^FS^XZ",
            "^XA^FO10,10^BY9223372036854775807^BCN,9223372036854775807,Y,N,N^FDABC^FS^XZ",
            "^XA^FO10,10^A0N,9223372036854775807,1^FB9223372036854775807,9223372036854775807^FH_^FDx^FS^XZ",
        ]
        for zpl in hostile {
            let picture = ZPLPreview.render(Array(zpl.utf8), fonts: nil)
            #expect(picture.width <= 40_000 && picture.height <= 40_000)
        }
        #expect(ZPLGraphicField.decompress(String(repeating: ":", count: 10_000), bytesPerRow: 100, maxBytes: 1_000) == nil)
    }
}
