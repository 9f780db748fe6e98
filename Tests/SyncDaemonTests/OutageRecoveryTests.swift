import Connectors
import Foundation
import Logging
import OordenLedger
import OordenLedgerAdapter
import StoreEmulators
import SyncCore
import SyncDaemon
import SyncDriver
import SyncEngine
import Testing

/// A store answering 429, 503 and timeouts for a while, over real loopback HTTP: passes fail while it
/// does, webhooks keep arriving in the inbox, the daemon is restarted from its files, and once the
/// stores recover everything arrives exactly once on every side.
@Suite("Daemon: recovery from 429/503/timeouts and a restart (real loopback HTTP)")
struct OutageRecoveryTests {
    /// The daemon's files and the objects a process would open over them.
    struct Opened {
        let ledger: OordenLedger
        let engine: SyncEngine
        let inbox: WebhookInbox
        let daemon: SyncDaemon
    }

    static func open(_ dir: String, endpoints: [StoreEndpoint], secrets: [WebhookReceiver.StoreSecret], logger: Logger) throws -> Opened {
        let clock = SystemWallClock()
        let ledger = try OordenLedger(path: dir + "/ledger.sqlite", clock: clock)
        if try ledger.company() == nil { _ = try ledger.setCompany(name: "Mi Empresa", currency: "MXN") }
        let engine = try SyncEngine.open(path: dir + "/engine.sqlite", clock: clock, seed: 7, logger: logger)
        for ep in endpoints where try engine.link(named: ep.link) == nil { try engine.connect(link: ep.link, kind: ep.kind) }
        let inbox = try WebhookInbox(path: dir + "/inbox.sqlite")
        let driver = SyncDriver(engine: engine, host: OordenLedgerHost(ledger: ledger), endpoints: endpoints, clock: clock, logger: logger)
        var settings = SyncDaemon.Settings()
        settings.polling = PollingPolicy(forceComplete: false, completeScanIntervalMilliseconds: 3_600_000, overlapMilliseconds: 300_000)
        let daemon = SyncDaemon(driver: driver, inbox: inbox, stores: secrets, settings: settings, clock: clock, logger: logger)
        return Opened(ledger: ledger, engine: engine, inbox: inbox, daemon: daemon)
    }

    @Test("429 with Retry-After, 503 and timeouts for a while: everything arrives once the stores recover; a restart resumes from the inbox")
    func outageThenRecovery() async throws {
        var logger = Logger(label: "outage-test")
        logger.logLevel = .critical
        let dir = try temporaryDirectory()
        let clock = SystemWallClock()
        var shopConfig = ShopifyEmulatorConfiguration()
        shopConfig.rateLimitEnabled = false
        shopConfig.webhookSecret = DaemonRig.shopifySecret
        let shop = ShopifyEmulator(configuration: shopConfig, seed: 31, clock: clock)
        var wooConfig = WooCommerceEmulatorConfiguration()
        wooConfig.assumeHTTPS = true
        let woo = WooCommerceEmulator(configuration: wooConfig, seed: 32, clock: clock, logger: logger)
        for i in 0..<12 {
            try shop.createCustomer(email: "s\(i)@outage.test", firstName: "Sara\(i)", lastName: "Shop")
            try woo.createCustomer(email: "w\(i)@outage.test", firstName: "Wen\(i)", lastName: "Woo")
        }
        for i in 0..<4 {
            try shop.createProduct(title: "Gorra \(i)", variants: [ShopifyVariantInput(sku: "SG-\(i)", price: ExactDecimal(80 + i))])
            try woo.createSimpleProduct(name: "Vaso \(i)", sku: "WV-\(i)", regularPrice: "\(30 + i).00", stock: nil)
        }
        var serverConfig = EmulatorServer.Configuration()
        serverConfig.timeoutHoldSeconds = 4
        serverConfig.webhookPollInterval = .milliseconds(10)
        serverConfig.webhookRetryDelay = .milliseconds(50)
        let shopServer = EmulatorServer(emulator: shop, configuration: serverConfig, logger: logger)
        let wooServer = EmulatorServer(emulator: woo, configuration: serverConfig, logger: logger)
        let shopOrigin = "http://127.0.0.1:\(try await shopServer.start())"
        let wooOrigin = "http://127.0.0.1:\(try await wooServer.start())"
        wooConfig.siteURL = wooOrigin
        woo.configuration = wooConfig

        // Clients time out after 3 s (the emulator holds a "timeout" for 4 s) and try 3 times; their
        // waits (backoff, Retry-After) are recorded, not slept.
        let retry = RetryPolicy(maxAttempts: 3, baseDelayMilliseconds: 200, maxDelayMilliseconds: 2_000)
        let shopClient = StoreClient(transport: URLSessionTransport(origin: shopOrigin, timeoutSeconds: 3, logger: logger),
                                     credentials: .shopify(.accessToken(shop.credentials.accessToken)), siteURL: shopOrigin,
                                     retryPolicy: retry, clock: clock, random: SeededRandom(seed: 5), sleeper: NoSleep(), logger: logger)
        let wooClient = StoreClient(transport: URLSessionTransport(origin: wooOrigin, timeoutSeconds: 3, logger: logger),
                                    credentials: .wooCommerce(WooCommerceCredentials(consumerKey: woo.credentials.consumerKey,
                                                                                     consumerSecret: woo.credentials.consumerSecret, mode: .basic)),
                                    siteURL: wooOrigin, retryPolicy: retry, clock: clock, random: SeededRandom(seed: 6), sleeper: NoSleep(), logger: logger)
        let endpoints = [StoreEndpoint(link: "shopify", kind: .shopify, transport: shopClient),
                         StoreEndpoint(link: "woo", kind: .woocommerce, transport: wooClient)]
        let secrets = [WebhookReceiver.StoreSecret(name: "shopify", kind: .shopify, secret: DaemonRig.shopifySecret,
                                                   source: .shopify(shopDomain: shopConfig.shopDomain)),
                       WebhookReceiver.StoreSecret(name: "woo", kind: .woocommerce, secret: woo.credentials.webhookSecret,
                                                   source: .wooCommerce(siteURL: wooOrigin))]

        // First process: subscribed to webhooks, then both stores go down.
        let first = try Self.open(dir, endpoints: endpoints, secrets: secrets, logger: logger)
        try await first.daemon.start()
        let base = "http://127.0.0.1:\(first.daemon.port ?? 0)"
        for ep in endpoints { _ = try await WebhookRegistration.register(ep.platform(clock: SystemWallClock()), baseURL: base, secret: woo.credentials.webhookSecret) }
        var shopFaults = FaultPlan()
        shopFaults.failNextRequests = 40
        shopFaults.failStatus = 429
        shopFaults.failRetryAfterSeconds = 2
        shopFaults.timeoutNextRequests = 2
        shop.faults = shopFaults
        var wooFaults = FaultPlan()
        wooFaults.failNextRequests = 40
        wooFaults.failStatus = 503
        woo.faults = wooFaults

        await first.daemon.reconcile()
        #expect(try first.ledger.contacts().isEmpty, "nothing was imported while both stores failed")
        // Merchants keep working during the outage: their webhooks land in the inbox.
        try shop.createCustomer(email: "nueva.shop@outage.test", firstName: "Nueva", lastName: "Tienda")
        try woo.createCustomer(email: "nueva.woo@outage.test", firstName: "Nueva", lastName: "Woo")
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while try first.inbox.deliveries().count < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(try first.inbox.deliveries().count >= 2)
        await first.daemon.stop()   // the "crash": the pending deliveries stay in the inbox file

        // Second process over the same files: it resumes from the inbox, and passes fail until the stores recover.
        let second = try Self.open(dir, endpoints: endpoints, secrets: secrets, logger: logger)
        var failedPasses = 0
        var okPasses = 0
        for _ in 0..<30 {
            _ = try? await second.daemon.drainInbox()
            let before = second.daemon.metrics.reconciliationPasses
            await second.daemon.reconcile()
            let after = second.daemon.metrics.reconciliationPasses
            // A pass in which a store kept failing is partial (the other store is synced), or failed.
            if after.ok > before.ok { okPasses += 1 } else { failedPasses += 1 }
            if okPasses >= 2 { break }
        }
        #expect(failedPasses >= 1, "the outage made at least one pass partial or failed")
        #expect(okPasses >= 2, "passes succeed once the stores recover")
        #expect(try second.inbox.deliveries().allSatisfy { $0.status != .pending }, "the inbox was drained after the restart")
        #expect(shop.faults.failNextRequests == 0 && woo.faults.failNextRequests == 0)

        // Everything exactly once on every side.
        let shopEmails = shop.customers().compactMap { $0["email"]?.string?.lowercased() }
        let wooEmails = woo.customers().compactMap { $0["email"]?.string?.lowercased() }
        let ledgerEmails = try second.ledger.contacts().compactMap { $0.email?.lowercased() }
        #expect(Set(shopEmails).count == shopEmails.count && Set(wooEmails).count == wooEmails.count && Set(ledgerEmails).count == ledgerEmails.count)
        #expect(Set(shopEmails).count == 26 && Set(shopEmails) == Set(wooEmails) && Set(wooEmails) == Set(ledgerEmails))
        let shopSKUs = shop.products().flatMap { $0["variants"]?.array ?? [] }.compactMap { $0["sku"]?.string }
        let wooSKUs = woo.products().compactMap { $0["sku"]?.string }
        let ledgerSKUs = try second.ledger.products().map(\.sku)
        #expect(shopSKUs.count == 8 && Set(shopSKUs).count == 8 && Set(shopSKUs) == Set(wooSKUs) && Set(wooSKUs) == Set(ledgerSKUs)
                && wooSKUs.count == 8 && ledgerSKUs.count == 8)
        #expect(try second.engine.heldRecords().isEmpty)
        let stats = await shopClient.statistics
        #expect(stats.rateLimitedResponses > 0 && stats.retries > 0)
        await shopServer.stop()
        await wooServer.stop()
    }
}
