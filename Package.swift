// swift-tools-version:6.1
import PackageDescription

// Layout: pure core (SegmentModel, ArchiveFormat, SigV4, Deflate) at the bottom, I/O shells above it
// (S3, Spool, Catalog, Pipeline, SluiceServer), one composition root (SluiceApp), and a thin CLI (sluice).
let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
        .executable(name: "sluice-bench", targets: ["sluice-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", exact: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", exact: "2.37.6"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", exact: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", exact: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
    ],
    targets: [
        // MARK: pure core
        .systemLibrary(
            name: "CLibdeflate",
            pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"])]
        ),
        .target(name: "Deflate", dependencies: ["CLibdeflate"]),
        .target(name: "CivilDate"),
        .target(name: "SegmentModel", dependencies: ["CivilDate"]),
        .target(name: "ArchiveFormat", dependencies: ["Deflate"]),
        .target(name: "SigV4", dependencies: ["CivilDate", .product(name: "Crypto", package: "swift-crypto")]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // MARK: I/O shells
        .target(
            name: "S3",
            dependencies: [
                "SigV4", "Storage",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // Sluice's one file-system layer and its archive store (staged batch files), with the local adapter.
        .target(
            name: "Storage",
            dependencies: [
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Spool",
            dependencies: ["Deflate", "CLibdeflate", .product(name: "Logging", package: "swift-log")]
        ),
        // The catalog's models and protocols; one module per implementation, chosen only by SluiceApp.
        .target(
            name: "Catalog",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                // PBKDF2 for console passwords (BoringSSL's, from the same package).
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]),
        .target(
            name: "CatalogSQLite",
            dependencies: [
                "Catalog",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "CatalogPostgres",
            dependencies: [
                "Catalog",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Pipeline",
            dependencies: [
                "SegmentModel", "ArchiveFormat", "Deflate", "Spool", "Catalog", "Storage",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Exact messageId de-duplication: a disk-backed index of the window's ids, consulted before the spool append.
        .target(
            name: "Dedupe",
            dependencies: [
                "Pipeline", "SegmentModel", "Spool", "Storage",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "Delivery",
            dependencies: [
                "ArchiveFormat", "Catalog", "S3", "Storage",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "SluiceServer",
            dependencies: [
                "SegmentModel", "ArchiveFormat", "Deflate", "Pipeline", "Catalog", "Delivery",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        .target(
            name: "Logs",
            dependencies: [
                "ArchiveFormat", "CivilDate", "S3", "CZlib", "Storage",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: composition root and CLI
        .target(
            name: "SluiceApp",
            dependencies: [
                "SegmentModel", "ArchiveFormat", "Deflate", "SigV4", "S3", "Spool", "Catalog", "CatalogSQLite",
                "CatalogPostgres", "Pipeline", "Delivery", "SluiceServer", "Storage", "Dedupe",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceApp", "Catalog", "Delivery", "Logs", "ArchiveFormat",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: benchmarks
        .executableTarget(
            name: "S3UploadBench",
            dependencies: [
                "S3",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "bench/s3-upload/Sources/S3UploadBench"
        ),
        .executableTarget(
            name: "sluice-bench", dependencies: ["Deflate", "SegmentModel", "Dedupe"], path: "bench/SluiceBench"),
        // libFuzzer target for the request scanner and enrichment (bench/fuzz/run.sh); built plainly, it replays files.
        .executableTarget(
            name: "SegmentFuzz", dependencies: ["SegmentModel", "Deflate"], path: "bench/fuzz/Sources/SegmentFuzz"),

        // MARK: tests
        .target(
            name: "SluiceTesting",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(name: "DeflateTests", dependencies: ["Deflate"]),
        .testTarget(name: "SegmentModelTests", dependencies: ["SegmentModel", "SegmentFuzz"]),
        .testTarget(name: "ArchiveFormatTests", dependencies: ["ArchiveFormat"]),
        .testTarget(name: "SigV4Tests", dependencies: ["SigV4"]),
        .testTarget(
            name: "S3Tests",
            dependencies: [
                "S3", "SigV4", "SluiceTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "SpoolTests", dependencies: ["Spool"]),
        .testTarget(
            name: "DedupeTests", dependencies: ["Dedupe", "Pipeline", "Spool", "SegmentModel", "SluiceTesting"]),
        .testTarget(
            name: "CatalogTests",
            dependencies: [
                "Catalog", "CatalogSQLite", "CatalogPostgres", "SluiceTesting",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Storage", "S3", "SluiceTesting", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "DeliveryTests",
            dependencies: [
                "Delivery", "Catalog", "CatalogSQLite", "CatalogPostgres", "S3", "Storage", "sluice", "SluiceTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "PipelineTests", dependencies: ["Pipeline", "Spool", "Deflate", "SluiceTesting", "Storage"]),
        .testTarget(name: "EndToEndTests", dependencies: ["sluice", "SluiceTesting"]),
        .testTarget(name: "SluiceAppTests", dependencies: ["SluiceApp", "SluiceTesting"]),
        .testTarget(
            name: "SluiceServerTests",
            dependencies: [
                "SluiceServer", "Pipeline", "Spool", "Catalog", "CatalogSQLite", "Storage", "SegmentModel",
                "SluiceTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "LogsTests",
            dependencies: [
                "Logs", "ArchiveFormat", "S3", "Deflate", "SluiceTesting", "sluice",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
