import Connectors
import Foundation
import OordenLedger
import OordenLedgerAdapter
import StoreEmulators
import SyncCore
import SyncDriver
import SyncEngine

/// `import --platform graphql`: an initial import from a Shopify emulator through the GraphQL
/// Admin API — customers and products by bulk export (JSONL downloaded over loopback HTTP and
/// joined by `__parentId`), orders by paged queries — into the ledger.
///
/// The baseline runs the same exports and queries and decodes every record, without the engine:
/// `engine_share = 1 − baseline / import`. The query-cost limit is off, as REST's rate limit is for
/// `import`: both measure the engine, not the plan's allowance.
struct GraphQLImportBenchmark {
    let customers: Int
    let products: Int
    let orders: Int

    func run() async throws {
        print("seeding the Shopify emulator: \(customers) customers, \(products) products, \(orders) orders…")
        let bench = try await BenchShop.start(seed: 9, customers: customers, products: products, orders: orders) { config in
            config.rateLimitEnabled = false
            config.graphQLRateLimitEnabled = false
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oorden-bench-import-graphql-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        let (decoded, baselineSeconds) = try await baseline(bench, directory: dir)
        let baselineRequests = bench.requests
        print(String(format: "baseline (bulk exports + paged orders, downloaded and decoded): %d records in %.2f s", decoded, baselineSeconds))

        let ledger = try OordenLedger(path: dir.appendingPathComponent("ledger.sqlite").path, clock: bench.clock)
        _ = try ledger.setCompany(name: "Bench", currency: "MXN")
        _ = try ledger.createTax(TaxDraft(name: "IVA", percentage: ExactDecimal(16)))
        let engine = try SyncEngine.open(path: dir.appendingPathComponent("engine.sqlite").path, clock: bench.clock, seed: 1, logger: bench.logger)
        try engine.connect(link: "shop", kind: .shopify)
        var endpoint = StoreEndpoint(link: "shop", kind: .shopify, transport: bench.client(seed: 2))
        var graphQL = ShopifyGraphQLEndpoint(version: "2026-10")
        graphQL.bulkDirectory = dir
        endpoint.shopifyGraphQL = graphQL
        let driver = SyncDriver(engine: engine, host: OordenLedgerHost(ledger: ledger), endpoints: [endpoint], clock: bench.clock, logger: bench.logger)
        let start = DispatchTime.now().uptimeNanoseconds
        let summary = try await driver.pass()
        let seconds = elapsedSeconds(since: start)
        let entities = try ledger.contacts().count + ledger.products().count + ledger.salesOrders().count
        let counts = summary.stores["shop"] ?? SyncPassSummary.StoreCounts()
        print(String(format: "import: %d contacts, %d SKUs, %d orders pulled; %d Oorden records in %.2f s (%d requests)",
                     counts.contactsPulled, counts.productsPulled, counts.ordersPulled, entities, seconds, bench.requests - baselineRequests))
        print(String(format: "BENCH import_graphql entities=%d entities_per_s=%.0f engine_share=%.2f",
                     entities, Double(entities) / seconds, 1 - baselineSeconds / seconds))
        await bench.stop()
    }

    /// Every record read and decoded as the import reads them, without the engine; the count and seconds.
    func baseline(_ bench: BenchShop, directory: URL) async throws -> (Int, Double) {
        let reader = ShopifyGraphQLReader(client: bench.graphQL(seed: 1), store: "shop", clock: bench.clock)
        let bulk = ShopifyBulkReads(downloader: URLSessionBulkDownloader(), directory: directory)
        var decoded = 0
        let start = DispatchTime.now().uptimeNanoseconds
        try await reader.bulkContacts(bulk) { page in
            for item in page.items { _ = try item.record.get() }
            decoded += page.items.count
        }
        try await reader.bulkProducts(bulk) { page in
            for item in page.items { _ = try item.record.get() }
            decoded += page.items.count
        }
        try await reader.readOrders { page in
            for item in page.items { _ = try item.record.get() }
            decoded += page.items.count
        }
        return (decoded, elapsedSeconds(since: start))
    }
}
