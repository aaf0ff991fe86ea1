// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Bilateral",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "bilateral", targets: ["BilateralCLI"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // What both stores implement and the domain is written against: connections, rows,
        // transactions, migrations, error kinds.
        .target(name: "Storage", dependencies: ["Locking"]),
        // The one condition lock HTTPCore and SQLiteStore share; they are siblings, so it sits below both.
        .target(name: "Locking"),
        .target(
            name: "HTTPCore",
            dependencies: [
                "CZlib", "Locking", .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SQLiteStore",
            dependencies: [
                "CSQLite", "Storage", "Locking", .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(name: "PostgresStore", dependencies: ["CLibPQ", "Storage", "Locking"]),
        .target(
            name: "BilateralAPI",
            dependencies: [
                "HTTPCore", "Storage", .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Resources")]
        ),
        .executableTarget(
            name: "BilateralCLI",
            dependencies: [
                "BilateralAPI", "HTTPCore", "Storage", "SQLiteStore", "PostgresStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The request parser's fuzz target: built with libFuzzer by scripts/fuzz-parser; in a
        // plain build it only replays saved inputs, so `swift build` stays cheap.
        .executableTarget(name: "HTTPParserFuzzing", dependencies: ["HTTPCore"]),
        .target(name: "HTTPTestSupport", dependencies: ["HTTPCore"], path: "Sources/HTTPTestSupport"),
        // Fresh stores for tests: SQLite in a temporary directory, PostgreSQL on the server
        // BILATERAL_TEST_POSTGRES names.
        .target(
            name: "StoreTestSupport",
            dependencies: ["BilateralAPI", "HTTPTestSupport", "Storage", "SQLiteStore", "PostgresStore"]),
        .testTarget(
            name: "HTTPCoreTests",
            dependencies: ["HTTPCore", "HTTPTestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "PostgresStoreTests", dependencies: ["PostgresStore", "Storage", "StoreTestSupport"]),
        .testTarget(name: "SQLiteStoreTests", dependencies: ["SQLiteStore", "Storage", "HTTPTestSupport"]),
        .testTarget(
            name: "BilateralAPITests",
            dependencies: [
                "BilateralAPI", "HTTPTestSupport", "Storage", "SQLiteStore", "PostgresStore", "StoreTestSupport",
            ]),
        .testTarget(
            name: "BilateralCLITests",
            dependencies: ["BilateralCLI", "HTTPTestSupport", "Storage", "SQLiteStore", "StoreTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
