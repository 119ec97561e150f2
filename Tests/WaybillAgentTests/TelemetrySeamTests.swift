import Testing
import WaybillCore
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

    @Test func statusLine_saysTheHealthConnectivityPendingConflictsAndPrinter() {
        #expect(StationStatusLine.make(connectivity: "online", status: nil, printer: nil) == "ok; online, database unreadable, no printer configured")
        let problems = [
            HealthProblem(kind: .diskFull, subject: "spool", cause: "disk full (spool): 0 MiB free", blocks: "labels", action: "free space"),
            HealthProblem(kind: .conflictsOpen, cause: "1 conflicts need a person", blocks: "orders", action: "resolve"),
        ]
        #expect(
            StationStatusLine.make(problems: problems, connectivity: "offline", status: nil, printer: "zebra-1 idle")
                == "degraded: disk full (spool): 0 MiB free (+1 more); offline, database unreadable, printer zebra-1 idle"
        )
    }
}
