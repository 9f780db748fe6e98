import Connectors
import Foundation
import Logging
import OordenLedger
import OordenLedgerAdapter
import StoreEmulators
import SyncCore
import SyncDriver
import SyncEngine

/// `import` and `pacing`: an initial import from a Shopify emulator over loopback HTTP into the ledger.
///
/// The baseline downloads and decodes the same pages (customers, products, orders) through the same
/// client and parsers, without the engine; `engine_share = 1 − baseline / import`. `pacing` runs the
/// import against a leaky bucket (40 calls leaking 20/s) and reports the requests made over what the
/// bucket admits in the same time (`40 + 20 × t`) for the import, for the download alone and for
/// ``PacingProbe`` (the pacer alone), and how many 429s the store served.
struct ImportBenchmark {
    let customers: Int
    let products: Int
    let orders: Int
    let paced: Bool

    func run() async throws {
        print("seeding the Shopify emulator: \(customers) customers, \(products) products, \(orders) orders…")
        let bench = try await BenchShop.start(seed: 9, customers: customers, products: products, orders: orders) { config in
            config.rateLimitEnabled = paced
            config.leakPerSecond = 20
        }
        let config = bench.shop.configuration
        let (shop, clock, logger) = (bench.shop, bench.clock, bench.logger)
        defer { Task { await bench.stop() } }
        func client(_ seed: UInt64) -> StoreClient { bench.client(seed: seed, leakPerSecond: 20) }

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oorden-bench-import-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        // Baseline: every page downloaded and decoded, nothing else.
        let baselineClient = client(1)
        var decoded = 0
        let baselineStart = DispatchTime.now().uptimeNanoseconds
        let api = ShopifyAPI()
        for (first, next, key) in [(api.customers(), api.customersPage as (String, Int, [String]?) -> StoreRequest, "customers"),
                                   (api.products(), api.productsPage, "products"), (api.orders(), api.ordersPage, "orders")] {
            var request = first
            while true {
                let response = try await baselineClient.send(request)
                let items = try JSONValue.parse(response.body)[key]?.array ?? []
                for item in items {
                    switch key {
                    case "customers": _ = try ShopifyAPI.contact(json: item)
                    case "products": _ = try ShopifyAPI.productRecords(product: item)
                    default: _ = try ShopifyAPI.order(json: item)
                    }
                    decoded += 1
                }
                guard let page = ShopifyPage.nextPageInfo(from: response.headers) else { break }
                request = next(page, ShopifyAPI.maxPageSize, nil)
            }
        }
        let baselineSeconds = Double(DispatchTime.now().uptimeNanoseconds - baselineStart) / 1e9
        let baselineRequests = shop.requestCounts.values.reduce(0, +)
        print(String(format: "baseline (download + decode): %d records in %.2f s", decoded, baselineSeconds))

        // The import: engine + ledger, SQLite files on disk.
        let ledger = try OordenLedger(path: dir.appendingPathComponent("ledger.sqlite").path, clock: clock)
        _ = try ledger.setCompany(name: "Bench", currency: "MXN")
        _ = try ledger.createTax(TaxDraft(name: "IVA", percentage: ExactDecimal(16)))
        let engine = try SyncEngine.open(path: dir.appendingPathComponent("engine.sqlite").path, clock: clock, seed: 1, logger: logger)
        try engine.connect(link: "shop", kind: .shopify)
        let driver = SyncDriver(engine: engine, host: OordenLedgerHost(ledger: ledger),
                                endpoints: [StoreEndpoint(link: "shop", kind: .shopify, transport: client(2))], clock: clock, logger: logger)
        let start = DispatchTime.now().uptimeNanoseconds
        let summary = try await driver.pass()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let importRequests = shop.requestCounts.values.reduce(0, +) - baselineRequests
        let entities = try ledger.contacts().count + ledger.products().count + ledger.salesOrders().count
        let counts = summary.stores["shop"] ?? SyncPassSummary.StoreCounts()
        print(String(format: "import: %d contacts, %d SKUs, %d orders pulled; %d Oorden records in %.2f s (%d requests)",
                     counts.contactsPulled, counts.productsPulled, counts.ordersPulled, entities, seconds, importRequests))
        if paced {
            // What the bucket admits in t seconds: its size at once, then leakPerSecond a second. Against
            // the leak rate alone a run shorter than a few bucket-fulls would score above 1.
            func allowed(_ t: Double) -> Double { Double(config.bucketSize) + Double(config.leakPerSecond) * t }
            print(String(format: "pacing: import %d requests in %.1f s, download alone %d requests in %.1f s; the bucket admits %d + %d/s",
                         importRequests, seconds, baselineRequests, baselineSeconds, config.bucketSize, config.leakPerSecond))
            // The import's ratio is low whenever the engine (or the download and decoding of full pages)
            // sets the pace, not the store's limit; the probe's cheap requests show the pacer alone.
            let probe = try await PacingProbe(seconds: 10, bucketSize: config.bucketSize, leakPerSecond: config.leakPerSecond).run()
            print(String(format: "pacer alone: %d cheap requests in %.1f s, %d answered 429", probe.requests, probe.seconds, probe.rateLimited))
            print(String(format: "BENCH pacing achieved_over_allowed=%.2f download_over_allowed=%.2f pacer_over_allowed=%.2f http_429=%d",
                         Double(importRequests) / allowed(seconds), Double(baselineRequests) / allowed(baselineSeconds), probe.overAllowed,
                         shop.rateLimitedResponses + probe.rateLimited))
        } else {
            print(String(format: "BENCH import entities=%d entities_per_s=%.0f engine_share=%.2f",
                         entities, Double(entities) / seconds, 1 - baselineSeconds / seconds))
        }
        await bench.stop()
    }
}
