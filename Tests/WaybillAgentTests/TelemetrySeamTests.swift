import Testing
import WaybillTestSupport

@testable import WaybillAgent

/// The seams the print pipeline will use: printer state gauges and the systemd status line.
@Suite struct TelemetrySeamTests {
    @Test func printerState_isOneHotPerPrinter_andUnknownStatesBecomeUnknown() throws {
        let metrics = AgentMetrics()
        metrics.recordPrinterState(printer: "zebra-1", state: "printing")
        metrics.recordPrinterState(printer: "zebra-1", state: "idle")
        metrics.recordPrinterState(printer: "laser", state: "on fire")
        let samples = try PrometheusText.parse(metrics.exposition())
        #expect(samples["waybill_printer_state{printer=\"zebra-1\",state=\"idle\"}"] == 1)
        #expect(samples["waybill_printer_state{printer=\"zebra-1\",state=\"printing\"}"] == 0)
        #expect(samples["waybill_printer_state{printer=\"laser\",state=\"unknown\"}"] == 1)
        #expect(metrics.printerState("zebra-1") == "idle")
        #expect(samples["waybill_print_jobs{state=\"spooled\"}"] == 0, "print job gauges exist before any job")
    }

    @Test func statusLine_saysConnectivityPendingConflictsAndPrinter() {
        #expect(StationStatusLine.make(connectivity: "online", status: nil, printer: nil) == "online, database unreadable, no printer configured")
        #expect(
            StationStatusLine.make(connectivity: "offline", status: nil, printer: "zebra-1 idle")
                == "offline, database unreadable, printer zebra-1 idle"
        )
    }
}
