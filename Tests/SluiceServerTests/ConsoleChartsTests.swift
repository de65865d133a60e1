import Catalog
import Testing

@testable import SluiceServer

/// The pure parts behind the overview: the per-minute ring, the bounded per-source counts, the delivery history,
/// the SVG charts and the archive preview.
@Suite struct ConsoleChartsTests {
    @Test func theRingKeepsTheLastDayAndForgetsOlderMinutes() {
        var ring = MinuteRing()
        let now: Int64 = 29_000_000
        ring.add(2, minute: now - 1_439)  // the oldest minute still in the window
        ring.add(3, minute: now)
        ring.add(4, minute: now)
        #expect(ring.total(endingAt: now) == 9)
        let series = ring.series(endingAt: now)
        #expect(series.count == 1_440 && series.first == 2 && series.last == 7)
        #expect(series.reduce(0, +) == 9)
        // A minute later the oldest has left the window; its slot is reused a day later.
        #expect(ring.total(endingAt: now + 1) == 7)
        ring.add(1, minute: now + 1)
        #expect(ring.series(endingAt: now + 1).last == 1 && ring.total(endingAt: now + 1) == 8)
        // A day later nothing of today is left.
        #expect(ring.total(endingAt: now + 1_441) == 0)
    }

    @Test func countsAreBoundedInSourcesAndKeepTheRestAsOther() {
        let counts = IngestCounts()
        let time: Int64 = 1_700_000_000_000
        for n in 0..<(IngestCounts.maximumSources + 3) {
            counts.add(sourceID: "s\(n)", accepted: 1, rejected: 0, at: time)
        }
        counts.add(sourceID: "s0", accepted: 4, rejected: 2, at: time + 60_000)
        counts.add(sourceID: "s0", accepted: 0, rejected: 1, at: time)
        let snapshot = counts.snapshot(at: time + 60_000)
        #expect(snapshot.perSource.count == IngestCounts.maximumSources + 1)
        #expect(snapshot.perSource[IngestCounts.otherSources]?.reduce(0, +) == 3)
        #expect(snapshot.perSource["s0"]?.suffix(2) == [1, 4])
        #expect(snapshot.rejected.reduce(0, +) == 3)
        #expect(counts.totals(at: time + 60_000)["s0"] == 5)
        #expect(counts.totals(at: time + 86_400_000 * 2)["s0"] == 0)
    }

    @Test func historySumsDeliveriesPerHourAndTheirLag() {
        let hour = DeliveryHistory.hour
        let now = 500 * hour + 10
        func row(_ destination: String, _ key: String, _ at: Int64) -> DeliveryRecord {
            DeliveryRecord(destinationID: destination, stagedKey: key, size: 1, eTag: nil, deliveredAtMilliseconds: at)
        }
        let history = DeliveryHistory(
            deliveries: [
                row("a", "k1", now), row("a", "k2", now - hour), row("b", "k3", now - 1), row("a", "old", now - 30 * hour),
            ], stagedAt: ["k1": now - 4_000, "k2": now - hour - 1_000, "k3": now], now: now)
        #expect(history.perHour["a"]?.suffix(2) == [1, 1])
        #expect(history.perHour["b"]?.last == 1)
        #expect(history.allPerHour.reduce(0, +) == 3 && history.allPerHour.count == 24)
        // k3 was "delivered" before its staging time by the clock: counted as 0, never negative.
        #expect(history.lags == [0, 1_000, 4_000])
        #expect(history.medianLag == 1_000 && history.maximumLag == 4_000)
    }

    @Test func chartsEscapeTheirLabelsAndDrawEverySeries() {
        let svg = SVGChart.lines(
            title: "<script>alert(1)</script>", series: [(name: "a&b", values: [0, 5, 10]), (name: "c", values: [1, 1, 1])],
            xLabels: ["-24 h", "now"])
        #expect(!svg.contains("<script>") && svg.contains("&lt;script&gt;"))
        #expect(svg.contains("a&amp;b (15)") && svg.components(separatedBy: "<polyline").count == 3)
        let bars = SVGChart.bars(title: "Files", values: [0, 2, 0, 4], xLabels: ["-24 h", "now"])
        #expect(bars.components(separatedBy: "<rect").count - 1 == 1 + 2)  // the background and two bars
        #expect(SVGChart.bars(title: "Files", values: [], xLabels: []).contains("no data yet"))
    }

    @Test func previewCountsEveryLineAndBoundsWhatItShows() {
        let long = String(repeating: "x", count: ArchivePreview.maximumLineBytes + 10)
        var text = #"{"n":0,"p":"<script>"}"# + "\n" + long + "\n"
        for n in 2..<50 { text += #"{"n":\#(n)}"# + "\n" }
        let preview = ArchivePreview(ndjson: Array(text.utf8))
        #expect(preview.eventCount == 50)
        #expect(preview.lines.count == ArchivePreview.maximumLines)
        #expect(preview.lines[0] == #"{"n":0,"p":"<script>"}"#)
        #expect(preview.truncatedLines && preview.lines[1].utf8.count < long.utf8.count + 5)
    }
}
