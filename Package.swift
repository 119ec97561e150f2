// swift-tools-version: 6.1
//
// Waybill: an offline-first agent for warehouse packing stations.
// Module boundaries (see README.md, "Architecture"):
//   WaybillCore   pure domain rules, no I/O
//   WaybillStore  the SQLite replica (GRDB); the only module that speaks SQL
//   WaybillHTTP   libcurl client and retry policy (wraps CCurl)
//   WaybillSync   pull/push engines and conflict resolution
//   WaybillPrint  label rendering, spool, libcups client (wraps CCups)
//   WaybillStation the packer's station screen (pages over the store, served by the agent)
//   WaybillScale  the bench scale's reader (serial termios or hidraw, on a thread of its own)
//   WaybillAgent  composition, services, configuration and the `waybill` CLI
//   WaybillHub    the reference central server behind `waybill-hub`
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Waybill",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "waybill", targets: ["waybill"]),
        .executable(name: "waybill-hub", targets: ["waybill-hub"]),
        .executable(name: "waybill-bench", targets: ["waybill-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: ["YAML"]),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // Only for `waybill-bench encoding`, which measures protobuf against the feed's JSON.
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // C libraries: each enters through one system-library target wrapped by exactly one Swift module.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CCups", providers: [.apt(["libcups2-dev"])]),

        .target(name: "WaybillCore", swiftSettings: swiftSettings),
        .target(
            name: "WaybillStore",
            dependencies: [
                "WaybillCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WaybillHTTP",
            dependencies: ["CCurl", "WaybillCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WaybillSync",
            dependencies: [
                "WaybillCore", "WaybillStore", "WaybillHTTP", .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WaybillPrint",
            dependencies: ["WaybillCore", "CCups", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WaybillStation",
            dependencies: [
                "WaybillCore", "WaybillStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WaybillScale",
            dependencies: ["WaybillCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WaybillAgent",
            dependencies: [
                "WaybillCore", "WaybillStore", "WaybillHTTP", "WaybillSync", "WaybillPrint", "WaybillStation", "WaybillScale",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WaybillHubStore",
            dependencies: ["WaybillCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Resources/rates.json")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WaybillHub",
            dependencies: [
                "WaybillCore", "WaybillHubStore", "WaybillHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/openapi.yaml")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WaybillBench",
            dependencies: [
                "WaybillCore", "WaybillStore", "WaybillHTTP", "WaybillSync", "WaybillHub", "WaybillHubStore", "WaybillPrint", "WaybillAgent",
                "WaybillTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["Protobuf/feed.proto"],
            resources: [.copy("Resources/scan_feedback.py")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "waybill", dependencies: ["WaybillAgent"], swiftSettings: swiftSettings),
        .executableTarget(name: "waybill-bench", dependencies: ["WaybillBench"], swiftSettings: swiftSettings),
        .executableTarget(name: "waybill-hub", dependencies: ["WaybillHub"], swiftSettings: swiftSettings),

        .target(
            name: "WaybillTestSupport",
            dependencies: [
                "WaybillCore", "WaybillStore", "WaybillHTTP", "WaybillSync", "WaybillHub", "WaybillHubStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Tests/WaybillTestSupport",
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WaybillCoreTests",
            dependencies: ["WaybillCore", "WaybillTestSupport", .product(name: "PropertyBased", package: "swift-property-based")],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WaybillStoreTests",
            dependencies: ["WaybillStore", "WaybillTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "WaybillHTTPTests", dependencies: ["WaybillHTTP"], swiftSettings: swiftSettings),
        .testTarget(
            name: "WaybillHubTests",
            dependencies: [
                "WaybillHub", "WaybillHubStore", "WaybillHTTP", "WaybillCore", "WaybillStore", "WaybillTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WaybillSyncTests",
            dependencies: [
                "WaybillSync", "WaybillStore", "WaybillHTTP", "WaybillCore", "WaybillTestSupport", "WaybillHub", "WaybillHubStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WaybillStationTests",
            dependencies: ["WaybillStation", "WaybillStore", "WaybillCore", "WaybillTestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WaybillScaleTests",
            dependencies: ["WaybillScale", "WaybillCore", "WaybillTestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "WaybillPrintTests", dependencies: ["WaybillPrint", "WaybillTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "WaybillAgentTests",
            dependencies: [
                "WaybillAgent", "WaybillStore", "WaybillSync", "WaybillTestSupport", "WaybillHubStore", "WaybillHTTP", "WaybillCore", "WaybillPrint",
                "waybill",
                "waybill-hub",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
    ]
)
