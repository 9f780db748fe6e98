// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "OordenSync",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "SyncCore", targets: ["SyncCore"]),
        .library(name: "SyncStore", targets: ["SyncStore"]),
        .library(name: "Connectors", targets: ["Connectors"]),
        .library(name: "StoreEmulators", targets: ["StoreEmulators"]),
        .library(name: "OordenLedger", targets: ["OordenLedger"]),
        .library(name: "SyncEngine", targets: ["SyncEngine"]),
        .library(name: "SyncDriver", targets: ["SyncDriver"]),
        .executable(name: "oorden-sync", targets: ["oorden-sync"]),
        .executable(name: "oorden-bench", targets: ["oorden-bench"]),
        .executable(name: "oorden-sim", targets: ["oorden-sim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // /metrics: counters and gauges through swift-metrics, rendered as Prometheus text by swift-prometheus.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The Shopify emulator's GraphQL Admin API: a real parser, validator and executor (emulator only).
        .package(url: "https://github.com/GraphQLSwift/GraphQL", from: "4.3.0"),
    ],
    targets: [
        // Pure model: clocks, stamps, values, CRDTs, change sets, JSON, HTTP work values.
        .target(name: "SyncCore", swiftSettings: strict),
        // zlib through a system library target; the shim wraps the init macros.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // OordenSync's SQLite files: private creation (0600/0700), failures in words, the engine lock.
        .target(
            name: "DatabaseFiles",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")],
            swiftSettings: strict),
        // SQLite persistence of the CRDT state (GRDB).
        .target(
            name: "SyncStore",
            dependencies: ["SyncCore", "CZlib", "DatabaseFiles", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        // Pure request builders and response parsers for Shopify and WooCommerce, plus the transport.
        .target(
            name: "Connectors",
            dependencies: [
                "SyncCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // Starting and stopping Hummingbird servers on threads of their own, off the cooperative pool.
        .target(
            name: "HTTPServing",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // Stateful Shopify and WooCommerce emulators: a pure handler and a loopback HTTP server.
        .target(
            name: "StoreEmulators",
            dependencies: [
                "SyncCore", "HTTPServing",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GraphQL", package: "GraphQL"),
            ],
            swiftSettings: strict),
        // The reference Oorden company ledger (its own SQLite file).
        .target(
            name: "OordenLedger",
            dependencies: ["SyncCore", "DatabaseFiles", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        // The deterministic sync engine: ingest, matching, shadows, held records (no network I/O).
        .target(
            name: "SyncEngine",
            dependencies: [
                "SyncCore", "SyncStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // The engine's host over the reference ledger: the only module that knows both.
        .target(name: "OordenLedgerAdapter", dependencies: ["SyncEngine", "OordenLedger", "SyncCore"], swiftSettings: strict),
        // Runs sync passes: pulls store pages through the connectors, feeds the engine, pushes its intents.
        .target(
            name: "SyncDriver",
            dependencies: [
                "SyncCore", "SyncEngine", "Connectors",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // The daemon: webhook receiver and durable inbox, reconciliation polling, health and metrics.
        .target(
            name: "SyncDaemon",
            dependencies: [
                "SyncCore", "SyncEngine", "SyncDriver", "Connectors", "CZlib", "DatabaseFiles", "HTTPServing",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
            ],
            swiftSettings: strict),
        // The convergence simulator's library (its executable is oorden-sim in Simulations/).
        .target(
            name: "SyncSimulation",
            dependencies: [
                "SyncCore", "SyncEngine", "SyncDriver", "SyncDaemon", "Connectors", "StoreEmulators", "OordenLedger", "OordenLedgerAdapter",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Simulations/SyncSimulation",
            swiftSettings: strict),
        .executableTarget(
            name: "oorden-sim",
            dependencies: ["SyncSimulation", "SyncCore"],
            path: "Simulations/oorden-sim",
            swiftSettings: strict),
        .executableTarget(
            name: "oorden-sync",
            dependencies: [
                "SyncCore", "SyncStore", "Connectors", "StoreEmulators", "OordenLedger", "OordenLedgerAdapter", "SyncEngine", "SyncDriver", "SyncDaemon",
                "DatabaseFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "oorden-bench",
            dependencies: [
                "SyncCore", "SyncStore", "SyncEngine", "SyncDriver", "SyncDaemon", "Connectors", "StoreEmulators", "OordenLedger", "OordenLedgerAdapter",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks",
            swiftSettings: strict),
        // Test support, not a product: runs child processes off the cooperative pool (SyncDriverTests, SyncDaemonTests).
        .target(name: "ChildProcessSupport", path: "Tests/ChildProcessSupport", swiftSettings: strict),
        .testTarget(name: "SyncCoreTests", dependencies: ["SyncCore"], swiftSettings: strict),
        .testTarget(name: "HTTPServingTests", dependencies: ["HTTPServing", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        .testTarget(name: "SyncStoreTests", dependencies: ["SyncStore", "SyncCore"], swiftSettings: strict),
        .testTarget(
            name: "ConnectorsTests",
            dependencies: ["Connectors", "StoreEmulators", "SyncCore"],
            swiftSettings: strict),
        .testTarget(
            name: "StoreEmulatorsTests",
            dependencies: ["StoreEmulators", "SyncCore"],
            swiftSettings: strict),
        .testTarget(name: "SyncEngineTests", dependencies: ["SyncEngine", "SyncStore", "SyncCore", "OordenLedger", "OordenLedgerAdapter"], swiftSettings: strict),
        .testTarget(name: "OordenLedgerAdapterTests", dependencies: ["OordenLedgerAdapter", "SyncEngine", "OordenLedger", "SyncCore"], swiftSettings: strict),
        .testTarget(
            name: "SyncDriverTests",
            dependencies: ["SyncDriver", "SyncEngine", "Connectors", "StoreEmulators", "OordenLedger", "OordenLedgerAdapter", "SyncCore", "ChildProcessSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "SyncDaemonTests",
            dependencies: ["SyncDaemon", "SyncDriver", "SyncEngine", "Connectors", "StoreEmulators", "OordenLedger", "OordenLedgerAdapter", "SyncCore", "DatabaseFiles", "ChildProcessSupport",
                           .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        .testTarget(
            name: "SyncSimulationTests",
            dependencies: ["SyncSimulation", "SyncCore"],
            swiftSettings: strict),
        .testTarget(name: "OordenLedgerTests", dependencies: ["OordenLedger", "SyncCore"], swiftSettings: strict),
    ]
)
