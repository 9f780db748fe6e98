import Connectors
import Foundation
import StoreEmulators
import Synchronization
import SyncCore
import Testing

/// Complete scans by bulk export against the emulator over loopback HTTP: the same records as a
/// paged read, a pass that dies mid-read resuming the same export, an expired result run again, a
/// failed export said plainly. (The decisions alone, on scripted answers: `ShopifyBulkRunnerTests`.)
@Suite("Shopify bulk exports over loopback HTTP")
struct ShopifyBulkReadTests {
    typealias Journal = ShopifyBulkRunnerTests.MemoryJournal

    static func contacts(_ platform: ShopifyGraphQLPlatform) async throws -> (records: [ContactRecord], snapshots: Set<Int64>) {
        var out: [ContactRecord] = [], at: Set<Int64> = []
        try await platform.readContacts(since: nil, countTotal: false) { page in
            out += try page.items.map { try $0.record.get() }
            if let s = page.snapshotAt { at.insert(s) }
        }
        return (out, at)
    }

    static func products(_ platform: ShopifyGraphQLPlatform) async throws -> [ProductRecord] {
        var out: [ProductRecord] = []
        try await platform.readProducts(since: nil, countTotal: false) { page in out += try page.items.flatMap { try $0.record.get() } }
        return out
    }

    /// A private directory for result files, removed afterwards.
    static func withDirectory(_ body: (URL) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bulk-read-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try await body(dir)
    }

    @Test("a bulk export reads exactly what the paged read does — customers, products, every variant of a 300-variant product — and leaves no file")
    func bulkEqualsPaged() async throws {
        try await ShopifyGraphQLRig.with(customers: 40, products: 15) { rig in
            try rig.emulator.createProduct(title: "Playera", variants: (1...300).map {
                ShopifyVariantInput(title: "Talla \($0)", sku: "PLAY-\($0)", price: try! ExactDecimal("199.00"), stock: $0 % 7)
            })
            try await Self.withDirectory { dir in
                let bulk = rig.bulkPlatform(directory: dir)
                let (byBulk, snapshots) = try await Self.contacts(bulk)
                let paged = try await Self.contacts(rig.platform).records
                #expect(byBulk.count == 40)
                #expect(Set(byBulk) == Set(paged))
                #expect(snapshots.count == 1, "every page marked with the export's moment")
                let products = try await Self.products(bulk)
                let pagedProducts = try await Self.products(rig.platform)
                #expect(Set(products) == Set(pagedProducts))
                #expect(products.filter { $0.sku?.hasPrefix("PLAY-") == true }.count == 300)
                #expect(rig.emulator.bulkOperationsRun == 2)
                #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "result files are removed once read")
            }
        }
    }

    struct Died: Error {}

    /// The store error `body` throws; nil (and a recorded issue) when it throws none or another.
    static func failure(_ body: () async throws -> Void) async -> StoreAPIError? {
        do {
            try await body()
            Issue.record("expected a StoreAPIError")
        } catch let error as StoreAPIError {
            return error
        } catch {
            Issue.record("expected a StoreAPIError, got \(error)")
        }
        return nil
    }

    @Test("a read that dies after its first page resumes the same export next time: one operation, every customer read")
    func resumesTheSameExport() async throws {
        try await ShopifyGraphQLRig.with(customers: 600) { rig in
            let journal = Journal()
            let platform = rig.bulkPlatform(journal: journal)
            var firstPass = 0
            await #expect(throws: Died.self) {
                try await platform.readContacts(since: nil, countTotal: false) { page in
                    firstPass += page.items.count
                    throw Died()
                }
            }
            #expect(firstPass == 250)
            #expect(try journal.pendingBulkRead(.contact) != nil, "the export is remembered")
            rig.clock.advance(by: 60_000)
            let all = try await Self.contacts(platform).records
            #expect(all.count == 600)
            #expect(rig.emulator.bulkOperationsRun == 1, "the export was read again, not run again")
            #expect(try journal.pendingBulkRead(.contact) == nil)
        }
    }

    @Test("an export remembered past its 7 days is run again, once, and read whole")
    func expiredExportRunsAgain() async throws {
        try await ShopifyGraphQLRig.with(customers: 30) { rig in
            let journal = Journal()
            let platform = rig.bulkPlatform(journal: journal)
            await #expect(throws: Died.self) {
                try await platform.readContacts(since: nil, countTotal: false) { _ in throw Died() }
            }
            rig.clock.advance(by: 8 * 86_400_000)
            _ = try rig.emulator.createCustomer(email: "nueva@example.mx", firstName: "Nueva", lastName: "Clienta")
            let (all, snapshots) = try await Self.contacts(platform)
            #expect(all.count == 31, "the new export shows the shop as it is now")
            #expect(rig.emulator.bulkOperationsRun == 2)
            #expect(snapshots.allSatisfy { $0 >= ShopifyGraphQLRig.start + 8 * 86_400_000 - 1_000 })
        }
    }

    @Test("a failed export says so and is forgotten; ACCESS_DENIED names the scope to grant; the next read runs a new one")
    func failedExports() async throws {
        try await ShopifyGraphQLRig.with(customers: 5) { rig in
            let journal = Journal()
            let platform = rig.bulkPlatform(journal: journal)
            rig.emulator.failNextBulkOperations(errorCode: "INTERNAL_SERVER_ERROR")
            let failed = await Self.failure { _ = try await Self.contacts(platform) }
            #expect(failed?.code == .server)
            #expect(failed?.message.contains("ended FAILED (INTERNAL_SERVER_ERROR)") == true)
            #expect(try journal.pendingBulkRead(.contact) == nil)

            rig.emulator.failNextBulkOperations(errorCode: "ACCESS_DENIED")
            let denied = await Self.failure { _ = try await Self.contacts(platform) }
            #expect(denied?.code == .forbidden)
            #expect(denied?.message.contains("read_customers") == true)

            let after = try await Self.contacts(platform).records
            #expect(after.count == 5)
            #expect(rig.emulator.bulkOperationsRun == 3)
        }
    }

    @Test("on API 2025-10 (one export at a time), a products export waits for a customers export still running, then runs")
    func oneAtATimeIsWaitedOut() async throws {
        try await ShopifyGraphQLRig.with(customers: 3, products: 4) { rig in
            // Another process of the app started a customers export and walked away.
            let other = rig.emulator.handle(StoreRequest(method: .post, path: "/admin/api/2025-10/graphql.json",
                headers: HeaderFields([("X-Shopify-Access-Token", rig.emulator.credentials.accessToken)]),
                body: (["query": "mutation { bulkOperationRunQuery(query: \"{ customers { nodes { id } } }\") { bulkOperation { id } userErrors { message } } }"] as JSONValue).jsonData))
            #expect(other.response?.status == 200)
            let old = ShopifyGraphQLClient(transport: rig.client.transport, version: "2025-10", clock: rig.clock, sleeper: ManualClockSleeper(clock: rig.clock))
            let platform = ShopifyGraphQLPlatform(client: old, store: "tienda", clock: rig.clock,
                                                  bulk: ShopifyBulkReads(downloader: URLSessionBulkDownloader()))
            let read = try await Self.products(platform)
            #expect(read.count >= 4)
            #expect(rig.emulator.bulkOperationsRun == 2)
        }
    }

    // The 20,000-of-each import runs in release as `oorden-bench import --platform graphql`; a debug
    // test of that size takes minutes, so this one keeps the shape (many pages, two exports) smaller.
    @Test("a bulk import of 2,500 customers and 2,500 products: every record read once, in pages of 250, two exports, no page query")
    func thousandsOfEach() async throws {
        try await ShopifyGraphQLRig.with(customers: 2_500, products: 2_500) { rig in
            try await Self.withDirectory { dir in
                let platform = rig.bulkPlatform(directory: dir)
                var contacts = Set<String>(), pages = 0
                try await platform.readContacts(since: nil, countTotal: false) { page in
                    pages += 1
                    #expect(page.items.count <= 250)
                    for item in page.items { contacts.insert(try item.record.get().remoteID) }
                }
                let products = try await Self.products(platform)
                #expect(contacts.count == 2_500)
                #expect(pages == 10)
                let expectedSKUs = rig.emulator.products().reduce(0) { $0 + ($1["variants"]?.array?.count ?? 0) }
                #expect(products.count == expectedSKUs)
                #expect(Set(products.map(\.remoteVariantID)).count == expectedSKUs, "each variant once")
                #expect(rig.emulator.bulkOperationsRun == 2)
                for paged in ["Customers", "Products", "ProductVariants"] {
                    #expect(await rig.client.pacer.learnedEstimate(paged) == nil, "\(paged) was queried page by page")
                }
            }
        }
    }
}
