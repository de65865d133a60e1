import Catalog
import Delivery
import Foundation
import Hummingbird
import NIOCore

/// `GET /console/api/overview` (the numbers) and the overview's charts as SVG images:
/// `GET /console/charts/events.svg` (accepted per minute, per source, last 24 h), `.../rejected.svg` (quarantined per
/// minute) and `.../deliveries.svg?destination=ID` (files delivered per hour; every destination without the
/// parameter).
extension ConsoleAPI {
    /// At most this many sources get their own line in the events chart; the rest are summed as "other".
    static let chartedSources = 8
    /// The most ledger rows one overview reads (the last 24 hours' deliveries, newest first).
    static let historyLimit = 50_000

    struct Overview: Encodable {
        struct SourceCount: Encodable { let id, name: String; let events: Int }
        struct Spool: Encodable {
            let retainedBytes, unstoredBatches: Int
            let lastStoreError, refusal: String?
        }
        struct Failing: Encodable {
            let id, bucket: String
            let lastError: String
            let lastErrorAt: Int64?
        }
        let eventsLast24h, rejectedLast24h: Int
        let sources: [SourceCount]
        let spool: Spool?
        let filesDeliveredLast24h: Int
        let medianLagMs, maxLagMs, nextCopyAt: Int64?
        let pendingFiles: Int
        let failingDestinations: [Failing]
    }

    func registerOverview(on group: RouterGroup<SluiceRequestContext>) {
        group.get("api/overview") { _, _ in try await catalogAnswer { try Self.json(try await overview()) } }
        group.get("charts/events.svg") { _, _ in
            try await catalogAnswer {
                let snapshot = tap.counts.snapshot(at: now())
                let names = Dictionary(
                    try await catalog.sources().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
                let ranked = snapshot.perSource.sorted { $0.value.reduce(0, +) > $1.value.reduce(0, +) }
                var series = ranked.prefix(Self.chartedSources).map { (name: names[$0.key] ?? $0.key, values: $0.value) }
                let rest = ranked.dropFirst(Self.chartedSources).map(\.value)
                if let first = rest.first {
                    let summed = rest.dropFirst().reduce(first) { zip($0, $1).map { $0 + $1 } }
                    series.append((name: "other", values: summed))
                }
                return Self.svg(
                    SVGChart.lines(
                        title: "Events accepted per minute (this node)", series: series, xLabels: Self.dayLabels))
            }
        }
        group.get("charts/rejected.svg") { _, _ in
            let rejected = tap.counts.snapshot(at: now()).rejected
            return Self.svg(
                SVGChart.lines(
                    title: "Events quarantined per minute (this node)", series: [(name: "rejected", values: rejected)],
                    xLabels: Self.dayLabels))
        }
        group.get("charts/deliveries.svg") { request, _ in
            let wanted = request.uri.queryParameters.get("destination")
            let history = await deliveryHistory()
            let values =
                wanted.map { history?.perHour[$0] ?? [Int](repeating: 0, count: DeliveryHistory.hours) }
                ?? history?.allPerHour ?? []
            return Self.svg(SVGChart.bars(title: "Files delivered per hour", values: values, xLabels: Self.dayLabels))
        }
    }

    static let dayLabels = ["-24 h", "-18 h", "-12 h", "-6 h", "now"]

    func overview() async throws(CatalogError) -> Overview {
        let time = now()
        let names = Dictionary(try await catalog.sources().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let totals = tap.counts.totals(at: time)
        let rejected = tap.counts.snapshot(at: time).rejected.reduce(0, +)
        let rows = totals.sorted { $0.value > $1.value }.map {
            Overview.SourceCount(id: $0.key, name: names[$0.key] ?? $0.key, events: $0.value)
        }
        let spool = health.map { read in
            let state = read()
            return Overview.Spool(
                retainedBytes: state.spoolRetainedBytes, unstoredBatches: state.unstoredBatches,
                lastStoreError: state.lastStoreError, refusal: state.spoolRefusal.map { "\($0)" })
        }
        let history = await deliveryHistory()
        let statuses = (try? await destinations?.registry.statuses()) ?? []
        let failing = statuses.compactMap { status -> Overview.Failing? in
            guard status.state.consecutiveFailures > 0, let error = status.state.lastError else { return nil }
            return Overview.Failing(
                id: status.destination.id, bucket: status.destination.bucket, lastError: error,
                lastErrorAt: status.state.lastErrorMilliseconds)
        }
        return Overview(
            eventsLast24h: totals.values.reduce(0, +), rejectedLast24h: rejected, sources: rows, spool: spool,
            filesDeliveredLast24h: history?.allPerHour.reduce(0, +) ?? 0, medianLagMs: history?.medianLag,
            maxLagMs: history?.maximumLag, nextCopyAt: await destinations?.nextScheduledCopy(now: time),
            pendingFiles: statuses.filter(\.destination.enabled).reduce(0) { $0 + $1.pendingFiles },
            failingDestinations: failing)
    }

    /// The last 24 hours of deliveries with their staging times; nil without delivery (or when the catalog fails:
    /// the charts then show no data rather than an error image).
    func deliveryHistory() async -> DeliveryHistory? {
        guard let delivery = destinations else { return nil }
        let time = now()
        let since = (time / DeliveryHistory.hour - Int64(DeliveryHistory.hours - 1)) * DeliveryHistory.hour
        guard let rows = try? await delivery.catalog.deliveries(sinceMilliseconds: since, limit: Self.historyLimit),
            let staged = try? await delivery.catalog.stagedFiles(sourceID: nil)
        else { return nil }
        let wanted = Set(rows.map(\.stagedKey))
        var stagedAt: [String: Int64] = [:]
        for file in staged where wanted.contains(file.key) { stagedAt[file.key] = file.stagedAtMilliseconds }
        return DeliveryHistory(deliveries: rows, stagedAt: stagedAt, now: time)
    }

    static func svg(_ text: String) -> Response {
        noStore(
            Response(
                status: .ok,
                headers: [
                    .contentType: "image/svg+xml; charset=utf-8", .xContentTypeOptions: "nosniff",
                    .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'",
                ], body: .init(byteBuffer: ByteBuffer(string: text))))
    }
}
