// swift-tools-version:6.0
// stsscan: measure how the internet deploys MTA-STS (RFC 8461) and TLS-RPT (RFC 8460).
//
// Data path, one module per concern:
//   input -> DNS -> fetch -> classify -> store -> report
//   STSScanner (input, pipeline) -> STSEngine (c-ares, curl, epoll) -> STSCore (rules, findings)
//   -> STSStore (SQLite via GRDB) -> STSReport (read-only answers)
// STSWorld builds and runs the simulated internet used by tests, the demo and benchmarks.
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "stsscan",
    // Linux only (Debian 12 and alike, packages in scripts/deps.sh): the engine is built on
    // epoll, eventfd and timerfd. SwiftPM's `platforms` lists only Apple minimum versions,
    // so none is declared.
    products: [
        .executable(name: "stsscan", targets: ["stsscan"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        // C libraries, reached through tiny shims whose symbols carry one prefix.
        .systemLibrary(name: "CAres", pkgConfig: "libcares",
                       providers: [.apt(["libc-ares-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev", "libssl-dev"])]),
        .systemLibrary(name: "CIDN2", pkgConfig: "libidn2",
                       providers: [.apt(["libidn2-dev"])]),
        // Typed wrappers of SQLite's variadic sqlite3_db_config (hardening `sql`).
        .target(name: "CSQLiteConfig", linkerSettings: [.linkedLibrary("sqlite3")]),

        // The RFC rules: parsing, matching, classification, finding codes. No I/O.
        .target(name: "STSCore", dependencies: ["CIDN2"], swiftSettings: strict),
        // The event loop that alone owns c-ares, curl multi and epoll.
        .target(name: "STSEngine", dependencies: ["CAres", "CCurl", "STSCore"], swiftSettings: strict),
        // The database: schema, migrations, batched writer. Alone touches SQLite.
        .target(name: "STSStore", dependencies: ["STSCore", .product(name: "GRDB", package: "GRDB.swift")],
                swiftSettings: strict),
        // Input lists, per-domain probe pipeline, progress: drives the engine, feeds the store.
        .target(name: "STSScanner", dependencies: [
            "STSCore", "STSEngine", "STSStore",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        // Reports, SQL access and diffs over a stored scan. Only reads.
        .target(name: "STSReport", dependencies: ["STSCore", "STSStore", "CSQLiteConfig",
                                                 .product(name: "GRDB", package: "GRDB.swift")],
                swiftSettings: strict),
        // The simulated internet: generator with ground truth, and the servers' lifecycle.
        .target(name: "STSWorld", dependencies: [
            "STSCore",
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
        ], swiftSettings: strict),
        // The thin command line.
        .executableTarget(name: "stsscan", dependencies: [
            "STSCore", "STSEngine", "STSStore", "STSScanner", "STSReport", "STSWorld",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict,
        // jemalloc in place of glibc's malloc: OpenSSL 3.0 and the Swift runtime allocate and
        // free many small blocks per TLS handshake and per domain; glibc spent ~10% of a scan's
        // CPU in them (malloc_consolidate, unlink_chunk). Measured in README, "Benchmarks".
        linkerSettings: [.linkedLibrary("jemalloc")]),

        .testTarget(name: "STSCoreTests", dependencies: ["STSCore"], swiftSettings: strict),
        // STSScanner for `TransportFindings`: engine tests state outcomes as the findings they become.
        .testTarget(name: "STSEngineTests", dependencies: ["STSEngine", "STSScanner"], swiftSettings: strict),
        .testTarget(name: "STSStoreTests", dependencies: ["STSStore"], swiftSettings: strict),
        .testTarget(name: "STSScannerTests", dependencies: ["STSScanner"], swiftSettings: strict),
        .testTarget(name: "STSWorldTests", dependencies: ["STSWorld"], swiftSettings: strict),
        .testTarget(name: "STSReportTests", dependencies: ["STSReport"], exclude: ["Golden"], swiftSettings: strict),
        // Runs the built `stsscan` binary (lint, and scans against the simulated internet).
        .testTarget(name: "EndToEndTests", dependencies: [
            "STSCore", "STSStore", "STSWorld", .product(name: "GRDB", package: "GRDB.swift"),
        ], swiftSettings: strict),
    ]
)
