import Connectors
import Foundation
import Logging
import OordenLedger
import OordenLedgerAdapter
import StoreEmulators
import Synchronization
import SyncCore
import SyncDriver
import SyncEngine
import Testing

/// An engine, a ledger and in-process Shopify and WooCommerce emulators on one manual clock, with every
/// store request recorded and an optional fault hook.
final class PollingWorld: Sendable {
    static let t0: Int64 = 1_795_964_400_000   // 2026-11-29T15:00:00Z
    let clock = ManualClock(milliseconds: PollingWorld.t0)
    let ledger: OordenLedger
    let engine: SyncEngine
    let shopify: ShopifyEmulator
    let woo: WooCommerceEmulator
    let endpoints: [StoreEndpoint]
    let recorder = Recorder()

    /// What the transports share with the test.
    final class Recorder: Sendable {
        /// `METHOD path?query` of every request the stores received, in order.
        let requests = Mutex<[String]>([])
        /// Called with each Shopify request: `true` lets the emulator apply it and then drops the response (a timeout).
        let loseResponse = Mutex<(@Sendable (StoreRequest) -> Bool)?>(nil)
    }

    init() throws {
        let logger = Logger(label: "polling-test")
        ledger = try OordenLedger(inMemoryWith: clock)
        _ = try ledger.setCompany(name: "Mi Empresa", currency: "MXN")
        engine = try SyncEngine.open(path: nil, clock: clock, seed: 1, logger: logger)
        var shopConfig = ShopifyEmulatorConfiguration()
        shopConfig.rateLimitEnabled = false
        let shop = ShopifyEmulator(configuration: shopConfig, seed: 11, clock: clock)
        shopify = shop
        var wooConfig = WooCommerceEmulatorConfiguration()
        wooConfig.assumeHTTPS = true
        let site = WooCommerceEmulator(configuration: wooConfig, seed: 22, clock: clock, logger: logger)
        woo = site
        try engine.connect(link: "shopify", kind: .shopify)
        try engine.connect(link: "woo", kind: .woocommerce)
        let recorder = self.recorder
        let creds = site.credentials
        endpoints = [
            StoreEndpoint(link: "shopify", kind: .shopify, transport: StoreClient(
                transport: ClosureTransport { r in
                    recorder.requests.withLock { $0.append(Self.line(r)) }
                    let response = shop.handle(r).response
                    if let rule = recorder.loseResponse.withLock({ $0 }), rule(r) { return nil }
                    return response
                },
                credentials: .shopify(.accessToken(shop.credentials.accessToken)), siteURL: "http://shop.test",
                clock: clock, random: SeededRandom(seed: 3), sleeper: NoSleep(), logger: logger)),
            StoreEndpoint(link: "woo", kind: .woocommerce, transport: StoreClient(
                transport: ClosureTransport { r in
                    recorder.requests.withLock { $0.append(Self.line(r)) }
                    return site.handle(r).response
                },
                credentials: .wooCommerce(Connectors.WooCommerceCredentials(consumerKey: creds.consumerKey, consumerSecret: creds.consumerSecret, mode: .basic)),
                siteURL: wooConfig.siteURL, clock: clock, random: SeededRandom(seed: 4), sleeper: NoSleep(), logger: logger)),
        ]
    }

    static func line(_ r: StoreRequest) -> String {
        "\(r.method.rawValue) \(r.path)?" + r.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    func driver(backoff: PushBackoff = .none) -> SyncDriver {
        SyncDriver(engine: engine, host: OordenLedgerHost(ledger: ledger), endpoints: endpoints, clock: clock, logger: Logger(label: "polling-test"),
                   pushBackoff: backoff)
    }

    /// Takes the recorded requests.
    func takeRequests() -> [String] { recorder.requests.withLock { r in defer { r = [] }; return r } }
}

@Suite("Polling cursors and the durable outbox")
struct PollingAndOutboxTests {
    static let hourly = PollingPolicy(forceComplete: false, completeScanIntervalMilliseconds: 3_600_000, overlapMilliseconds: 300_000)

    @Test("incremental pulls start at the cursor minus the overlap; WooCommerce customers and deletions wait for the complete scan")
    func incrementalThenComplete() async throws {
        let w = try PollingWorld()
        let ana = try #require(try w.shopify.createCustomer(email: "ana@poll.test", firstName: "Ana", lastName: "Uno")["id"]?.int)
        let beto = try #require(try w.shopify.createCustomer(email: "beto@poll.test", firstName: "Beto", lastName: "Dos")["id"]?.int)
        let carla = try w.woo.createCustomer(email: "carla@poll.test", firstName: "Carla", lastName: "Tres")
        try w.woo.createSimpleProduct(name: "Taza", sku: "TAZA-1", regularPrice: "50.00", stock: nil)
        let driver = w.driver()

        _ = try await driver.pass(polling: Self.hourly)
        #expect(try w.ledger.contacts().count == 3)
        let cursor = try w.engine.pollCursor(link: "shopify", kind: .contact)
        let wooProducts = try w.engine.pollCursor(link: "woo", kind: .product)
        #expect(cursor.lastCompleteScanMilliseconds == PollingWorld.t0 && cursor.updatedAtMilliseconds != nil)
        let first = w.takeRequests()
        #expect(first.contains { $0.contains("/customers.json?") && !$0.contains("updated_at_min") }, "the first pull is complete")

        // A minute later: an edit and a delete in Shopify, an edit in WooCommerce.
        w.clock.advance(by: 60_000)
        _ = try w.shopify.updateCustomer(id: ana, ["last_name": "Editada"])
        try w.shopify.deleteCustomer(id: beto)
        try w.woo.editCustomer(carla, ["last_name": "Cambiada"])
        _ = try await driver.pass(polling: Self.hourly)
        let second = w.takeRequests()
        // The cursor minus 5 minutes, minus the store's estimated clock offset (a second or so here:
        // `Date` headers have second precision).
        let since = (0...2).map { ISO8601Time.formatGMTNoZone((wooProducts.updatedAtMilliseconds ?? 0) - 300_000 - Int64($0) * 1000) }
        #expect(second.contains { $0.hasPrefix("GET /admin/api/2024-10/customers.json?") && $0.contains("updated_at_min=") },
                "Shopify customers are pulled incrementally: \(second.prefix(6))")
        #expect(second.contains { r in r.contains("/wp-json/wc/v3/products?") && since.contains { r.contains("modified_after=\($0)&") } },
                "WooCommerce products from the cursor minus 5 minutes (\(since)): \(second.filter { $0.contains("products") })")
        #expect(!second.contains { $0.contains("/wp-json/wc/v3/customers?") }, "WooCommerce customers wait for the complete scan")
        #expect(try w.ledger.contact(email: "ana@poll.test")?.lastName == "Editada")
        #expect(try w.ledger.contact(email: "beto@poll.test")?.archived == false, "a deletion is not detected by an incremental pull")
        #expect(try w.ledger.contact(email: "carla@poll.test")?.lastName == "Tres")

        // An hour later the complete scan is due: the deletion and the WooCommerce edit arrive.
        w.clock.advance(by: 3_600_000)
        _ = try await driver.pass(polling: Self.hourly)
        let third = w.takeRequests()
        #expect(third.contains { $0.contains("/wp-json/wc/v3/customers?") })
        #expect(try w.ledger.contact(email: "beto@poll.test") == nil, "archived by the complete scan")
        #expect(try w.ledger.contacts().first { $0.email == "beto@poll.test" }?.archived == true)
        #expect(try w.ledger.contact(email: "carla@poll.test")?.lastName == "Cambiada")
        #expect(try w.engine.pollCursor(link: "woo", kind: .contact).lastCompleteScanMilliseconds == w.clock.nowMilliseconds())
    }

    @Test("a kind whose complete scan found nothing is pulled from that scan's start, not scanned completely every pass")
    func emptyKindIsPulledFromItsLastCompleteScan() {
        let scanned = PollCursor(link: "shopify", kind: .contact, updatedAtMilliseconds: nil, lastCompleteScanMilliseconds: 10_000_000)
        #expect(Self.hourly.plan(scanned, readsIncrementally: true, clockOffsetMilliseconds: -2_000, now: 10_060_000) == .since(10_000_000 - 300_000 - 2_000))
        #expect(Self.hourly.plan(scanned, readsIncrementally: true, clockOffsetMilliseconds: 0, now: 10_000_000 + 3_600_000) == .complete, "still hourly")
        let never = PollCursor(link: "shopify", kind: .contact)
        #expect(Self.hourly.plan(never, readsIncrementally: true, clockOffsetMilliseconds: 0, now: 10_060_000) == .complete, "never scanned: complete")
        let seen = PollCursor(link: "shopify", kind: .contact, updatedAtMilliseconds: 9_000_000, lastCompleteScanMilliseconds: 10_000_000)
        #expect(Self.hourly.plan(seen, readsIncrementally: true, clockOffsetMilliseconds: 0, now: 10_060_000) == .since(9_000_000 - 300_000))
    }

    @Test("a Shopify product create whose response was lost is looked up, not created twice")
    func lostCreateResponse() async throws {
        let w = try PollingWorld()
        try w.woo.createSimpleProduct(name: "Vaso", sku: "VASO-1", regularPrice: "30.00", stock: nil)
        // The first POST of a product to Shopify is applied, but its response never arrives.
        let lost = Mutex(0)
        w.recorder.loseResponse.withLock { rule in
            rule = { r in
                guard r.method == .post, r.path.hasSuffix("/products.json") else { return false }
                return lost.withLock { n in n += 1; return n == 1 }
            }
        }
        let summary = try await w.driver().pass()
        let skus = w.shopify.products().flatMap { $0["variants"]?.array ?? [] }.compactMap { $0["sku"]?.string }
        #expect(skus == ["VASO-1"], "exactly one product in Shopify: \(skus)")
        #expect(summary.stores["shopify"]?.pushFailures == 1)
        #expect(lost.withLock { $0 } == 1, "the create was not sent again")
        let entity = try #require(try w.engine.entity(link: "woo", kind: .product, remoteID: w.woo.products()[0]["id"].map { String($0.int ?? 0) } ?? ""))
        #expect(try w.engine.remoteIDs(of: entity)["shopify"] != nil, "linked to the product the lost create made")
        #expect(try w.engine.outbox().isEmpty)
    }

    @Test("a write failing with 503 backs off durably: skipped until its time, then sent once")
    func backoff() async throws {
        let w = try PollingWorld()
        try w.shopify.createCustomer(email: "dora@poll.test", firstName: "Dora", lastName: "Cuatro")
        let driver = w.driver(backoff: PushBackoff(baseMilliseconds: 60_000, maxMilliseconds: 600_000))
        _ = try await driver.pass()
        #expect(w.woo.customers().count == 1)

        // WooCommerce answers 503 to everything (more than the client's retries) when a new customer
        // arrives from Shopify (as a webhook would bring it) and must be created there.
        let eva = try w.shopify.createCustomer(email: "eva@poll.test", firstName: "Eva", lastName: "Cinco")
        var faults = FaultPlan()
        faults.failNextRequests = 1_000
        faults.failStatus = 503
        w.woo.faults = faults
        _ = try w.engine.ingest(contacts: [IncomingRecord(try ShopifyAPI.contact(json: eva), payload: eva.jsonText)], from: "shopify")
        let failing = try await driver.pushPending()
        #expect(failing.stores["woo"]?.pushFailures == 1, "tried once, then backing off for the pass's other rounds")
        let entry = try #require(try w.engine.outbox().first { $0.link == "woo" })
        #expect(entry.attempts == 1 && entry.inFlightSince == nil && entry.lastError?.contains("503") == true)
        #expect(entry.nextAttemptAt >= w.clock.nowMilliseconds() + 30_000 && entry.nextAttemptAt <= w.clock.nowMilliseconds() + 60_000)

        // The store recovers, but the write waits for its time.
        faults.failNextRequests = 0
        w.woo.faults = faults
        _ = w.takeRequests()
        _ = try await driver.pushPending()
        #expect(!w.takeRequests().contains { $0.hasPrefix("POST /wp-json/wc/v3/customers") }, "backing off: not sent")
        #expect(w.woo.customers().count == 1)
        w.clock.advance(by: 61_000)
        _ = try await driver.pushPending()
        #expect(w.woo.customers().compactMap { $0["email"]?.string }.sorted() == ["dora@poll.test", "eva@poll.test"])
        #expect(try w.engine.outbox().isEmpty)
    }
}
