import Foundation

/// nginx in front of an S3 server, injecting S3 faults at random: `503 SlowDown`, `500 InternalError`, and
/// connections closed without an answer (nginx's 444). Requests whose URI contains `always-fail` and
/// `partNumber=` always get a 500, to drive a multipart upload into its abort path. With `redirect`, a PUT to a
/// bucket whose name contains the marker, signed for any other region, gets AWS's `301 PermanentRedirect` with
/// `x-amz-bucket-region`, as AWS answers a request signed for the wrong region (nginx cannot attach an S3 XML
/// body to a 301, so only the header carries the region). With `responseBytesPerSecond`, every answer is sent
/// that slowly (nginx's `limit_rate`), so downloads through the proxy take long enough for a test to act during
/// them.
///
/// ```swift
/// let proxy = try await FaultProxy.start(upstreamPort: moto.port, slowDownPercent: 20, internalErrorPercent: 4,
///                                        dropPercent: 4)
/// defer { proxy.stop() }
/// ```
public final class FaultProxy: Sendable {
    public let port: Int
    public let directory: TemporaryDirectory
    let process: ChildProcess

    public var endpoint: String { "http://127.0.0.1:\(port)" }

    init(port: Int, directory: TemporaryDirectory, process: ChildProcess) {
        self.port = port
        self.directory = directory
        self.process = process
    }

    public static var isInstalled: Bool { nginxPath != nil }

    static var nginxPath: String? {
        which("nginx") ?? (FileManager.default.isExecutableFile(atPath: "/usr/sbin/nginx") ? "/usr/sbin/nginx" : nil)
    }

    public static func start(
        upstreamPort: Int, slowDownPercent: Int, internalErrorPercent: Int, dropPercent: Int,
        redirect: (bucketMarker: String, region: String)? = nil, responseBytesPerSecond: Int? = nil
    ) async throws -> FaultProxy {
        guard let nginx = nginxPath else {
            throw TestSupportError("nginx not found; apt-get install nginx (scripts/deps/apt-test.txt)")
        }
        let port = try FreePort.allocate()
        let directory = try TemporaryDirectory("fault-proxy")
        let temp = directory.path + "/tmp"
        try FileManager.default.createDirectory(
            atPath: temp, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
        let configuration = config(
            directory: directory.path, port: port, upstreamPort: upstreamPort,
            percents: (slowDownPercent, internalErrorPercent, dropPercent), redirect: redirect,
            responseBytesPerSecond: responseBytesPerSecond)
        let configPath = directory.path + "/nginx.conf"
        try configuration.write(toFile: configPath, atomically: true, encoding: .utf8)
        let process = try ChildProcess.launch(
            nginx, ["-p", directory.path, "-c", configPath, "-e", directory.path + "/error.log"], logName: "nginx")
        do {
            try await Poll.until("nginx on port \(port)", timeout: .seconds(20)) {
                guard process.isRunning else {
                    throw TestSupportError("nginx exited: \(process.log()) \(errorLog(directory))")
                }
                return FreePort.isListening(port)
            }
        } catch {
            process.terminate()
            directory.remove()
            throw error
        }
        return FaultProxy(port: port, directory: directory, process: process)
    }

    /// Access log lines: `STATUS METHOD URI connection=N requests=M`.
    public func accessLog() -> [String] {
        let text = (try? String(contentsOfFile: directory.path + "/access.log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    /// How many requests got each status (444 = connection closed without an answer).
    public func statusCounts() -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for line in accessLog() {
            if let status = line.split(separator: " ").first.flatMap({ Int($0) }) { counts[status, default: 0] += 1 }
        }
        return counts
    }

    public func stop() {
        process.terminate()
        directory.remove()
    }

    static func errorLog(_ directory: TemporaryDirectory) -> String {
        (try? String(contentsOfFile: directory.path + "/error.log", encoding: .utf8)) ?? ""
    }

    static func config(
        directory: String, port: Int, upstreamPort: Int, percents: (Int, Int, Int),
        redirect: (bucketMarker: String, region: String)?, responseBytesPerSecond: Int? = nil
    ) -> String {
        let s3Error = { (code: String, message: String) in
            "'<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>\(code)</Code><Message>\(message)</Message>"
                + "<RequestId>$request_id</RequestId></Error>'"
        }
        let slowDown = s3Error("SlowDown", "Please reduce your request rate.")
        let internalError = s3Error("InternalError", "We encountered an internal error. Please try again.")
        // nginx refuses a 0% share, so faults that are off get no line at all.
        let splits = [(percents.0, "slowdown"), (percents.1, "internal"), (percents.2, "drop")]
            .filter { $0.0 > 0 }.map { "    \($0.0)% \($0.1);\n" }.joined()
        let redirectRule =
            redirect.map {
                "\"~^PUT [^ ]*\($0.bucketMarker)[^ ]* (?!.*/\($0.region)/s3/)\" \($0.region);"
            } ?? ""
        return """
            worker_processes 1;
            daemon off;
            pid \(directory)/nginx.pid;
            error_log \(directory)/error.log warn;
            events { worker_connections 512; }
            http {
              log_format faults '$status $request_method "$request_uri" connection=$connection requests=$connection_requests';
              access_log \(directory)/access.log faults;
              client_body_temp_path \(directory)/tmp/body;
              proxy_temp_path \(directory)/tmp/proxy;
              fastcgi_temp_path \(directory)/tmp/fastcgi;
              uwsgi_temp_path \(directory)/tmp/uwsgi;
              scgi_temp_path \(directory)/tmp/scgi;
              split_clients "${request_id}" $fault {
            \(splits)    * none;
              }
              map "$request_method $request_uri $http_authorization" $redirect_region {
                \(redirectRule)
                default "";
              }
              map $request_uri $forced {
                "~always-fail.*partNumber=" internal;
                default none;
              }
              server {
                listen 127.0.0.1:\(port);
                client_max_body_size 0;
                proxy_request_buffering off;
                proxy_buffering off;
                proxy_http_version 1.1;
                \(responseBytesPerSecond.map { "limit_rate \($0);" } ?? "")
                location / {
                  default_type application/xml;
                  if ($redirect_region != "") {
                    add_header x-amz-bucket-region $redirect_region always;
                    return 301 http://moved.invalid/;
                  }
                  if ($forced = internal) { return 500 \(internalError); }
                  if ($fault = slowdown) { return 503 \(slowDown); }
                  if ($fault = internal) { return 500 \(internalError); }
                  if ($fault = drop) { return 444; }
                  proxy_set_header Host $http_host;
                  proxy_set_header Connection "";
                  proxy_pass http://127.0.0.1:\(upstreamPort);
                }
              }
            }

            """
    }
}
