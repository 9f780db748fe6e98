import Connectors
import Foundation
import Logging
import OordenLedger
import OordenLedgerAdapter
import StoreEmulators
import SyncCore
import SyncDriver
import SyncEngine

/// A company ledger and an engine (in memory) syncing a Shopify and a WooCommerce emulator served
/// over loopback HTTP — the real transport (URLSession), the real clients' retries.
///
/// The manual clock starts at the real time: the servers stamp responses with a real `Date` header,
/// from which the driver estimates each store's clock offset.
struct LoopbackStores {
    let clock: ManualClock
    let ledger: OordenLedger
    let engine: SyncEngine
    let shopify: ShopifyEmulator
    let woo: WooCommerceEmulator
    let servers: [EmulatorServer]
    /// The Shopify store's endpoint, then WooCommerce's (to build another driver over the same stores).
    let endpoints: [StoreEndpoint]
    let driver: SyncDriver

    /// `shopifyAPI` `.graphQL` reaches the Shopify emulator through ``ShopifyGraphQLPlatform`` (version
    /// 2026-10, its pacer waiting on the manual clock); `.rest` through the REST platform.
    static func start(shopifyCustomers: Int = 0, shopifyProducts: Int = 0, wooCustomers: Int = 0, wooProducts: Int = 0,
                      shopifyAPI: ShopifyAPIChoice = .rest) async throws -> LoopbackStores {
        var logger = Logger(label: "loopback-test")
        logger.logLevel = .critical
        let clock = ManualClock(milliseconds: SystemWallClock().nowMilliseconds())
        let ledger = try OordenLedger(inMemoryWith: clock)
        _ = try ledger.setCompany(name: "Mi Empresa", currency: "MXN")
        let engine = try SyncEngine.open(path: nil, clock: clock, seed: 1, logger: logger)
        var shopConfig = ShopifyEmulatorConfiguration()
        shopConfig.rateLimitEnabled = false
        let shopify = ShopifyEmulator(configuration: shopConfig, seed: 41, clock: clock)
        shopify.seed(customers: shopifyCustomers, products: shopifyProducts, orders: 0)
        var wooConfig = WooCommerceEmulatorConfiguration()
        wooConfig.assumeHTTPS = true
        let woo = WooCommerceEmulator(configuration: wooConfig, seed: 42, clock: clock, logger: logger)
        try woo.seed(customers: wooCustomers, products: wooProducts, orders: 0)

        let servers = [EmulatorServer(emulator: shopify, logger: logger), EmulatorServer(emulator: woo, logger: logger)]
        let shopOrigin = "http://127.0.0.1:\(try await servers[0].start())"
        let wooOrigin = "http://127.0.0.1:\(try await servers[1].start())"
        wooConfig.siteURL = wooOrigin
        woo.configuration = wooConfig

        try engine.connect(link: "shopify", kind: .shopify)
        try engine.connect(link: "woo", kind: .woocommerce)
        var endpoints = [
            StoreEndpoint(link: "shopify", kind: .shopify, transport: StoreClient(
                transport: URLSessionTransport(origin: shopOrigin, timeoutSeconds: 10, logger: logger),
                credentials: .shopify(.accessToken(shopify.credentials.accessToken)), siteURL: shopOrigin,
                clock: clock, random: SeededRandom(seed: 3), sleeper: NoSleep(), logger: logger)),
            StoreEndpoint(link: "woo", kind: .woocommerce, transport: StoreClient(
                transport: URLSessionTransport(origin: wooOrigin, timeoutSeconds: 10, logger: logger),
                credentials: .wooCommerce(WooCommerceCredentials(consumerKey: woo.credentials.consumerKey,
                                                                 consumerSecret: woo.credentials.consumerSecret, mode: .basic)),
                siteURL: wooOrigin, clock: clock, random: SeededRandom(seed: 4), sleeper: NoSleep(), logger: logger)),
        ]
        if shopifyAPI == .graphQL {
            endpoints[0].shopifyGraphQL = ShopifyGraphQLEndpoint(version: "2026-10", sleeper: ClockAdvancingSleeper(clock: clock))
        }
        let driver = SyncDriver(engine: engine, host: OordenLedgerHost(ledger: ledger), endpoints: endpoints, clock: clock, logger: logger)
        return LoopbackStores(clock: clock, ledger: ledger, engine: engine, shopify: shopify, woo: woo, servers: servers, endpoints: endpoints, driver: driver)
    }

    func stop() async {
        for server in servers { await server.stop() }
    }

    /// Writes (every method but GET) the Shopify emulator has answered so far, by "METHOD path".
    func shopifyWrites() -> [String: Int] { shopify.requestCounts.filter { !$0.key.hasPrefix("GET") } }
}

/// Waits by advancing the manual clock: the GraphQL pacer's waits take no real time.
struct ClockAdvancingSleeper: StoreSleeper {
    let clock: ManualClock

    func sleep(milliseconds: Int64) async throws { clock.advance(by: max(0, milliseconds)) }
}
