import Connectors
import Foundation
import Logging
import OordenLedgerAdapter
import StoreEmulators
import SyncCore
import SyncDriver
import SyncEngine
import Synchronization
import Testing

/// The pass summary's `requests` is counted where requests are sent (the driver's transport under
/// every platform), not by hand at each call site: every request a pass sends to a store, and only
/// those, is in that store's count.
@Suite("Request counts")
struct RequestCountTests {
    @Test("every request a pass sends to a store is counted once in that store's summary, the currency check included")
    func passCountsEveryRequest() async throws {
        let w = try World(shopifyCustomers: 4, shopifyProducts: 3, wooCustomers: 3, wooProducts: 4)
        let logger = Logger(label: "test")
        let sent = Mutex<[String: Int]>([:])
        func counting(_ store: String, _ handle: @escaping @Sendable (StoreRequest) -> StoreResponse?) -> ClosureTransport {
            ClosureTransport { request in
                sent.withLock { $0[store, default: 0] += 1 }
                return handle(request)
            }
        }
        let shop = w.shopify, woo = w.woo
        let creds = woo.credentials
        let endpoints = [
            StoreEndpoint(link: "shopify", kind: .shopify, transport: StoreClient(
                transport: counting("shopify") { shop.handle($0).response }, credentials: .shopify(.accessToken(shop.credentials.accessToken)),
                siteURL: "http://shop.test", clock: w.clock, random: SeededRandom(seed: 3), sleeper: NoSleep(), logger: logger)),
            StoreEndpoint(link: "woo", kind: .woocommerce, transport: StoreClient(
                transport: counting("woo") { woo.handle($0).response },
                credentials: .wooCommerce(WooCommerceCredentials(consumerKey: creds.consumerKey, consumerSecret: creds.consumerSecret, mode: .basic)),
                siteURL: "https://woo.test", clock: w.clock, random: SeededRandom(seed: 4), sleeper: NoSleep(), logger: logger)),
        ]
        let driver = SyncDriver(engine: w.engine, host: OordenLedgerHost(ledger: w.ledger), endpoints: endpoints, clock: w.clock, logger: logger)

        let first = try await driver.pass()
        let afterFirst = sent.withLock { $0 }
        #expect(first.failures.isEmpty, "\(first.failures)")
        #expect(first.stores["shopify"]?.requests == afterFirst["shopify"])
        #expect(first.stores["woo"]?.requests == afterFirst["woo"])
        // The first pass pushed each store's records to the other: reads and writes both counted.
        #expect((first.stores["shopify"]?.pushed ?? 0) > 0 && (first.stores["woo"]?.pushed ?? 0) > 0)

        let second = try await driver.pass()
        let afterSecond = sent.withLock { $0 }
        #expect(second.stores["shopify"]?.requests == (afterSecond["shopify"] ?? 0) - (afterFirst["shopify"] ?? 0), "a pass counts its own requests only")
        #expect(second.stores["woo"]?.requests == (afterSecond["woo"] ?? 0) - (afterFirst["woo"] ?? 0))
    }
}
