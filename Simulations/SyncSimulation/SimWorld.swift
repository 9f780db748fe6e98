import Connectors
import Foundation
import Logging
import OordenLedger
import OordenLedgerAdapter
import StoreEmulators
import Synchronization
import SyncCore
import SyncDaemon
import SyncDriver
@_spi(Simulation) import SyncEngine

/// The engine crashed (injected): the pass stops where it was and the engine is reopened.
struct SimCrash: Error {}

/// Counts store list requests and throws ``SimCrash`` when an armed crash point is reached.
final class CrashSwitch: Sendable {
    private let remaining = Mutex<Int?>(nil)

    func arm(afterRequests n: Int) { remaining.withLock { $0 = n } }
    func disarm() { remaining.withLock { $0 = nil } }

    /// Called before each list request; throws when the crash point is reached (once).
    func tick() throws {
        let crash = remaining.withLock { r -> Bool in
            guard let n = r else { return false }
            if n <= 0 { r = nil; return true }
            r = n - 1
            return false
        }
        if crash { throw SimCrash() }
    }
}

/// The real engine (on a temp-file SQLite database), the real ledger and real in-process emulators
/// on one manual clock, wired like `DriverPassTests`.
final class SimWorld {
    static let t0: Int64 = 1_795_964_400_000

    let clock: ManualClock
    let engineClock: OffsetClock
    /// The ledger's clock, which the ledger-clock fault steps back (``SimOp/ledgerClockBack(milliseconds:)``).
    let ledgerClock: OffsetClock
    /// False under ``SimMutation/oordenRawLedgerTime``.
    let ticksOordenClock: Bool
    let ledger: OordenLedger
    let host: SimHost
    let stores: [SimStore]
    let links: [String]
    let endpoints: [StoreEndpoint]
    let crash: CrashSwitch
    let dbPath: String
    let seed: UInt64
    let logger: Logger
    /// Oorden's IVA 16 % tax.
    let taxID: Int64
    /// Each WooCommerce store's 16 % tax rate id (nil for Shopify stores, which tax at their default rate).
    let wooTaxRates: [Int?]
    /// Each WooCommerce store's 8 % rate ("IVA frontera"), which Oorden does not have: an order taxed
    /// with it is held `missing_tax` (nil for Shopify stores).
    let wooFrontierRates: [Int?]
    /// The daemon's webhook inbox (in memory); it survives engine crashes like the daemon's file would.
    let inbox: WebhookInbox
    /// Each store's webhook verifier (Shopify: the app's webhook secret; WooCommerce: ``webhookSecret``).
    let verifiers: [WebhookVerifier]
    /// Each store's webhook source (shop domain or site URL), checked like the daemon's receiver does.
    let sources: [WebhookSource]
    static let webhookSecret = "sim-webhook-secret"
    private(set) var engine: SyncEngine
    private(set) var driver: SyncDriver

    init(seed: UInt64, configuration: SimConfiguration, mutation: SimMutation, directory: String) throws {
        self.seed = seed
        var logger = Logger(label: "oorden-sim")
        logger.logLevel = .critical
        self.logger = logger
        let clock = ManualClock(milliseconds: SimWorld.t0)
        let engineClock = OffsetClock(base: clock)
        let ledgerClock = OffsetClock(base: clock)
        let crash = CrashSwitch()
        self.clock = clock
        self.engineClock = engineClock
        self.ledgerClock = ledgerClock
        self.crash = crash
        let ticksOordenClock = mutation != .oordenRawLedgerTime
        self.ticksOordenClock = ticksOordenClock
        let ledger = try OordenLedger(inMemoryWith: ledgerClock)
        self.ledger = ledger
        _ = try ledger.setCompany(name: "Simulada", currency: "MXN")
        taxID = try ledger.createTax(TaxDraft(name: "IVA 16 %", percentage: ExactDecimal(16))).id
        var wooTaxRates: [Int?] = []
        var wooFrontierRates: [Int?] = []
        var verifiers: [WebhookVerifier] = []
        var sources: [WebhookSource] = []
        inbox = try WebhookInbox(path: nil)
        let host = SimHost(inner: OordenLedgerHost(ledger: ledger), mutation: mutation,
                           atomicBatches: configuration.atomicHostBatches)
        self.host = host
        let dbPath = directory + "/engine-\(seed).sqlite"
        self.dbPath = dbPath
        let engine = try SyncEngine.open(path: dbPath, clock: engineClock, seed: seed, logger: logger, ticksOordenClock: ticksOordenClock)
        var stores: [SimStore] = []
        var links: [String] = []
        var endpoints: [StoreEndpoint] = []
        let sleeper = ClockAdvancingSleeper(clock: clock)
        for (i, kind) in configuration.stores.enumerated() {
            let storeSeed = seed &* 31 &+ UInt64(i) &+ 1
                        switch kind {
            case .shopify:
                var config = ShopifyEmulatorConfiguration()
                config.rateLimitEnabled = false
                config.tokenLifetimeSeconds = configuration.shopifyTokenLifetimeSeconds
                let shop = ShopifyEmulator(configuration: config, seed: storeSeed, clock: clock)
                shop.clockSkewMilliseconds = configuration.skews[i]
                let link = "shop\(i)"
                try engine.connect(link: link, kind: .shopify)
                let transport = ClosureTransport { request in
                    return shop.handle(request).response
                }
                // A Dev Dashboard app's tokens expire on the store's clock and are renewed mid-run.
                let credentials: Connectors.ShopifyCredentials = configuration.shopifyTokenGrant
                    ? .tokenProvider(ShopifyClientCredentialsGrant(
                        transport: transport, clientID: shop.credentials.clientID, clientSecret: shop.credentials.clientSecret,
                        variables: .init(clientID: "SIM_CLIENT_ID", clientSecret: "SIM_CLIENT_SECRET"), clock: engineClock))
                    : .accessToken(shop.credentials.accessToken)
                var endpoint = StoreEndpoint(link: link, kind: .shopify, transport: CrashingTransport(crash: crash, inner: StoreClient(
                    transport: transport, credentials: .shopify(credentials), siteURL: "http://shop\(i).test",
                    clock: engineClock, random: SeededRandom(seed: storeSeed ^ 0xA5), sleeper: sleeper, logger: logger)))
                if configuration.shopifyGraphQL {
                    var graphQL = ShopifyGraphQLEndpoint(version: "2026-10", sleeper: sleeper)
                    // Bulk results come from the same in-process emulator (no credentials sent).
                    graphQL.bulkDownloader = TransportBulkDownloader(transport: transport)
                    endpoint.shopifyGraphQL = graphQL
                }
                endpoints.append(endpoint)
                stores.append(.shopify(shop))
                links.append(link)
                wooTaxRates.append(nil)
                wooFrontierRates.append(nil)
                verifiers.append(WebhookVerifier(platform: .shopify, secret: shop.credentials.webhookSecret))
                sources.append(.shopify(shopDomain: config.shopDomain))
            case .woocommerce:
                var config = WooCommerceEmulatorConfiguration()
                config.assumeHTTPS = true
                let site = WooCommerceEmulator(configuration: config, seed: storeSeed, clock: clock, logger: logger)
                site.clockSkewMilliseconds = configuration.skews[i]
                wooTaxRates.append(try site.createTaxRate(rate: "16.0000", name: "IVA"))
                wooFrontierRates.append(try site.createTaxRate(rate: "8.0000", name: "IVA frontera"))
                verifiers.append(WebhookVerifier(platform: .wooCommerce, secret: SimWorld.webhookSecret))
                sources.append(.wooCommerce(siteURL: config.siteURL))
                let link = "woo\(i)"
                try engine.connect(link: link, kind: .woocommerce)
                let creds = site.credentials
                let transport = ClosureTransport { request in
                    return site.handle(request).response
                }
                endpoints.append(StoreEndpoint(link: link, kind: .woocommerce, transport: CrashingTransport(crash: crash, inner: StoreClient(
                    transport: transport,
                    credentials: .wooCommerce(Connectors.WooCommerceCredentials(consumerKey: creds.consumerKey, consumerSecret: creds.consumerSecret, mode: .basic)),
                    siteURL: config.siteURL, clock: engineClock, random: SeededRandom(seed: storeSeed ^ 0x5A), sleeper: sleeper, logger: logger))))
                stores.append(.woo(site))
                links.append(link)
            }
        }
        self.stores = stores
        self.links = links
        self.wooTaxRates = wooTaxRates
        self.wooFrontierRates = wooFrontierRates
        self.verifiers = verifiers
        self.sources = sources
        self.endpoints = endpoints
        self.engine = engine
        driver = SyncDriver(engine: engine, host: host, endpoints: endpoints, clock: engineClock, logger: logger)
    }

    /// A full-scan list request (a crash point): customers/products pages, not searches by e-mail or SKU.
    static func isListRequest(_ r: StoreRequest) -> Bool {
        guard r.method == .get else { return false }
        let p = r.path
        guard p.hasSuffix("/customers.json") || p.hasSuffix("/products.json") || p.hasSuffix("/customers") || p.hasSuffix("/products") else { return false }
        return !r.query.contains { $0.name == "email" || $0.name == "sku" }
    }

    private(set) var restarts: UInt64 = 0

    /// Subscribes the daemon's webhook address to every topic it processes, in every store.
    func registerWebhooks() async throws {
        for ep in endpoints {
            _ = try await WebhookRegistration.register(ep.platform(clock: engineClock), baseURL: "http://daemon.sim.test", secret: SimWorld.webhookSecret)
        }
    }

    /// A store's due webhook deliveries.
    func takeDueWebhooks(store i: Int) -> [WebhookDelivery] {
        switch stores[i] {
        case .shopify(let s): s.takeDueWebhooks()
        case .woo(let w): w.takeDueWebhooks()
        }
    }

    /// The engine crashed: drop it and reopen its database file (committed work only survives).
    ///
    /// A restarted process opens the engine with a new seed (the CLI seeds from the clock): reopening
    /// with the same seed would mint the same entity ids again (see docs/simulator.md, "Findings").
    func restartEngine() throws {
        restarts += 1
        engine = try SyncEngine.open(path: dbPath, clock: engineClock, seed: seed &+ restarts &* 0x9E37_79B9_7F4A_7C15, logger: logger,
                                     ticksOordenClock: ticksOordenClock)
        driver = SyncDriver(engine: engine, host: host, endpoints: endpoints, clock: engineClock, logger: logger)
    }
}

/// Wraps the store client: an armed crash point fires before a list request reaches the client, so
/// the pass stops there as if the process had died.
struct CrashingTransport: StoreTransport {
    let crash: CrashSwitch
    let inner: StoreClient

    func send(_ request: StoreRequest) async throws -> StoreResponse {
        if SimWorld.isListRequest(request) { try crash.tick() }
        return try await inner.send(request)
    }
}
