import Connectors
import Foundation
import Logging
import OordenLedger
import OordenLedgerAdapter
import StoreEmulators
import SyncCore
import SyncDriver
import SyncEngine

/// `memory`: the peak resident memory of an initial import, at two sizes.
///
/// For each size this process seeds a Shopify emulator and serves it over loopback HTTP, then runs
/// `oorden-bench memory-import` as a **child process** that imports from it (engine + ledger in
/// SQLite files, the same ``SyncDriver/pass(maxRounds:progress:)`` as `oorden-sync sync --once`) and
/// reports its own peak RSS (`VmHWM` of `/proc/self/status`, Linux). So what is counted is exactly the sync
/// side — engine, ledger, driver, HTTP client, runtime — and not the emulator's copy of the store,
/// which lives in this parent process. A size of N entities means N/3 customers, N/3 products and
/// N/3 orders in the store. `growth = large_mb / small_mb`.
struct MemoryBenchmark {
    let small: Int
    let large: Int

    func run() async throws {
        let smallRun = try await measure(entities: small)
        let largeRun = try await measure(entities: large)
        let growth = largeRun.peakMB / max(smallRun.peakMB, 0.001)
        print(String(format: "BENCH memory small_mb=%.1f large_mb=%.1f growth=%.2f small_entities=%d large_entities=%d",
                     smallRun.peakMB, largeRun.peakMB, growth, small, large))
    }

    struct ChildResult {
        var peakMB: Double
    }

    /// Seeds and serves a store of `entities` records, runs one child import against it, returns its peak RSS.
    func measure(entities: Int) async throws -> ChildResult {
        let each = max(1, entities / 3)
        var logger = Logger(label: "oorden-bench")
        logger.logLevel = .critical
        var config = ShopifyEmulatorConfiguration()
        config.rateLimitEnabled = false
        let shop = ShopifyEmulator(configuration: config, seed: 9, clock: SystemWallClock())
        print("seeding the Shopify emulator: \(each) customers, \(each) products, \(each) orders…")
        shop.seed(customers: each, products: each, orders: each)
        let server = EmulatorServer(emulator: shop, logger: logger)
        let port = try await server.start()
        defer { Task { await server.stop() } }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        process.arguments = ["memory-import", "--port", String(port), "--customers", String(each), "--products", String(each), "--orders", String(each)]
        var environment = ProcessInfo.processInfo.environment
        environment["OORDEN_BENCH_STORE_TOKEN"] = shop.credentials.accessToken
        process.environment = environment
        // The child writes to a file and its exit is awaited through the termination handler, so no
        // thread of this process blocks while the emulator serves the child.
        let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent("oorden-bench-memory-\(getpid())-\(entities).out")
        FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputURL) }
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        print("importing in a child process (oorden-bench memory-import)…")
        let (exited, exit) = AsyncStream.makeStream(of: Void.self)
        process.terminationHandler = { _ in exit.finish() }
        try process.run()
        for await _ in exited {}
        await server.stop()
        let output = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
        for line in output.split(separator: "\n") where !line.hasPrefix("MEMORY ") { print("  " + line) }
        guard process.terminationStatus == 0,
              let line = output.split(separator: "\n").last(where: { $0.hasPrefix("MEMORY ") }),
              let peak = line.split(separator: " ").first(where: { $0.hasPrefix("peak_kb=") }).flatMap({ Int($0.dropFirst(8)) }), peak > 0 else {
            throw BenchmarkError("the import child for \(entities) entities failed (status \(process.terminationStatus)); run it alone to see why")
        }
        let mb = Double(peak) / 1024
        print(String(format: "%d entities: peak RSS %.1f MB", entities, mb))
        return ChildResult(peakMB: mb)
    }
}

/// `memory-import` (the child of `memory`): one import from the emulator on 127.0.0.1:`port`, then
/// one `MEMORY peak_kb=… start_kb=…` line. The access token comes from `OORDEN_BENCH_STORE_TOKEN`.
struct MemoryImportChild {
    let port: Int
    let customers: Int
    let products: Int
    let orders: Int

    func run() async throws {
        let startKB = Self.peakKilobytes()
        guard let token = ProcessInfo.processInfo.environment["OORDEN_BENCH_STORE_TOKEN"] else {
            throw BenchmarkError("memory-import is run by `oorden-bench memory`; OORDEN_BENCH_STORE_TOKEN is not set")
        }
        let clock = SystemWallClock()
        var logger = Logger(label: "oorden-bench")
        logger.logLevel = .critical
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oorden-bench-memory-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        let ledger = try OordenLedger(path: dir.appendingPathComponent("ledger.sqlite").path, clock: clock)
        _ = try ledger.setCompany(name: "Bench", currency: "MXN")
        _ = try ledger.createTax(TaxDraft(name: "IVA", percentage: ExactDecimal(16)))
        let engine = try SyncEngine.open(path: dir.appendingPathComponent("engine.sqlite").path, clock: clock, seed: 1, logger: logger)
        try engine.connect(link: "shop", kind: .shopify)
        let client = StoreClient.shopify(origin: "http://127.0.0.1:\(port)", credentials: .accessToken(token), leakPerSecond: 20,
                                         clock: clock, seed: 2, logger: logger)
        let driver = SyncDriver(engine: engine, host: OordenLedgerHost(ledger: ledger),
                                endpoints: [StoreEndpoint(link: "shop", kind: .shopify, transport: client)], clock: clock, logger: logger)
        let start = DispatchTime.now().uptimeNanoseconds
        let summary = try await driver.pass()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let counts = summary.stores["shop"] ?? SyncPassSummary.StoreCounts()
        print(String(format: "import: %d contacts, %d SKUs, %d orders pulled in %.1f s",
                     counts.contactsPulled, counts.productsPulled, counts.ordersPulled, seconds))
        print("MEMORY peak_kb=\(Self.peakKilobytes()) start_kb=\(startKB)")
    }

    /// The process's peak resident set size in kB (`VmHWM` of `/proc/self/status`; 0 where there is no /proc).
    static func peakKilobytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Int($0) } ?? 0
    }
}
