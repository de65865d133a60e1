import Metrics

/// The client's metrics: requests, errors by code, retries, bytes and latency, labelled by operation.
///
/// Names: `sluice_s3_requests_total`, `sluice_s3_errors_total` (`code`), `sluice_s3_retries_total`,
/// `sluice_s3_bytes_sent_total`, `sluice_s3_bytes_received_total`, `sluice_s3_request_duration_seconds`.
struct S3Metrics: Sendable {
    let factory: (any MetricsFactory)?

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        if let factory { return Counter(label: label, dimensions: dimensions, factory: factory) }
        return Counter(label: label, dimensions: dimensions)
    }

    func request(_ operation: String) {
        counter("sluice_s3_requests_total", [("operation", operation)]).increment()
    }

    func error(_ operation: String, code: S3Error.Code) {
        counter("sluice_s3_errors_total", [("operation", operation), ("code", code.rawValue)]).increment()
    }

    func retry(_ operation: String) {
        counter("sluice_s3_retries_total", [("operation", operation)]).increment()
    }

    func bytes(sent: Int, received: Int) {
        if sent > 0 { counter("sluice_s3_bytes_sent_total", []).increment(by: sent) }
        if received > 0 { counter("sluice_s3_bytes_received_total", []).increment(by: received) }
    }

    func latency(_ operation: String, _ duration: Duration) {
        let dimensions = [("operation", operation)]
        let timer =
            factory.map { Timer(label: "sluice_s3_request_duration_seconds", dimensions: dimensions, factory: $0) }
            ?? Timer(label: "sluice_s3_request_duration_seconds", dimensions: dimensions)
        timer.recordNanoseconds(RetryPolicy.nanoseconds(duration))
    }
}
