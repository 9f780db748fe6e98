import Connectors
import Foundation
import Logging
import OordenLedger
import StoreEmulators
import SyncCore
import SyncDaemon
import SyncDriver
import SyncEngine
import Testing

/// A Shopify sale or adjustment fires only `inventory_levels/update` (not `products/update`): the
/// daemon observes that level and pushes the delta to the other stores without waiting for a pull.
/// Over real loopback HTTP, through the daemon's receiver.
@Suite("Daemon: Shopify inventory_levels/update reaches the other stores (real loopback HTTP)")
struct InventoryWebhookTests {
    @Test("a Shopify stock adjustment → inventory_levels/update → after the inbox is drained and pushed, WooCommerce shows the new level, with no pull")
    func shopifyStockReachesWooCommerceByWebhook() async throws {
        var logger = Logger(label: "inventory-webhook")
        logger.logLevel = .critical
        let clock = SystemWallClock()
        let dir = try temporaryDirectory()
        var shopConfig = ShopifyEmulatorConfiguration()
        shopConfig.rateLimitEnabled = false
        shopConfig.webhookSecret = DaemonRig.shopifySecret
        let shop = ShopifyEmulator(configuration: shopConfig, seed: 51, clock: clock)
        var wooConfig = WooCommerceEmulatorConfiguration()
        wooConfig.assumeHTTPS = true
        let woo = WooCommerceEmulator(configuration: wooConfig, seed: 52, clock: clock, logger: logger)
        let product = try shop.createProduct(title: "Taza de barro", variants: [ShopifyVariantInput(sku: "TAZ-BARRO", price: ExactDecimal(150), stock: 10)])
        let item = try #require(product["variants"]?[0]?["inventory_item_id"]?.int)
        let wooID = try woo.createSimpleProduct(name: "Taza de barro", sku: "TAZ-BARRO", regularPrice: "150.00", stock: 10)

        var serverConfig = EmulatorServer.Configuration()
        serverConfig.webhookPollInterval = .milliseconds(10)
        serverConfig.webhookRetryDelay = .milliseconds(50)
        let shopServer = EmulatorServer(emulator: shop, configuration: serverConfig, logger: logger)
        let wooServer = EmulatorServer(emulator: woo, configuration: serverConfig, logger: logger)
        let shopOrigin = "http://127.0.0.1:\(try await shopServer.start())"
        let wooOrigin = "http://127.0.0.1:\(try await wooServer.start())"
        wooConfig.siteURL = wooOrigin
        woo.configuration = wooConfig
        let endpoints = [
            StoreEndpoint(link: "shopify", kind: .shopify, transport: StoreClient(
                transport: URLSessionTransport(origin: shopOrigin, timeoutSeconds: 10, logger: logger),
                credentials: .shopify(.accessToken(shop.credentials.accessToken)), siteURL: shopOrigin,
                clock: clock, random: SeededRandom(seed: 5), sleeper: NoSleep(), logger: logger)),
            StoreEndpoint(link: "woo", kind: .woocommerce, transport: StoreClient(
                transport: URLSessionTransport(origin: wooOrigin, timeoutSeconds: 10, logger: logger),
                credentials: .wooCommerce(WooCommerceCredentials(consumerKey: woo.credentials.consumerKey,
                                                                 consumerSecret: woo.credentials.consumerSecret, mode: .basic)),
                siteURL: wooOrigin, clock: clock, random: SeededRandom(seed: 6), sleeper: NoSleep(), logger: logger)),
        ]
        let secrets = [WebhookReceiver.StoreSecret(name: "shopify", kind: .shopify, secret: DaemonRig.shopifySecret,
                                                   source: .shopify(shopDomain: shopConfig.shopDomain)),
                       WebhookReceiver.StoreSecret(name: "woo", kind: .woocommerce, secret: woo.credentials.webhookSecret,
                                                   source: .wooCommerce(siteURL: wooOrigin))]
        let opened = try OutageRecoveryTests.open(dir, endpoints: endpoints, secrets: secrets, logger: logger)
        let daemon = opened.daemon
        try await daemon.start()
        let base = "http://127.0.0.1:\(daemon.port ?? 0)"
        for ep in endpoints { _ = try await WebhookRegistration.register(ep.platform(clock: SystemWallClock()), baseURL: base, secret: woo.credentials.webhookSecret) }
        let subscribed = try ShopifyAPI.webhooks(from: try await endpoints[0].transport.send(endpoints[0].shopify.webhooks()).body)
        #expect(subscribed.contains { $0.topic == "inventory_levels/update" }, "the topic is registered with the others")

        // Linked on both sides at 10; whatever the first passes caused by webhook is drained.
        await daemon.reconcile()
        await daemon.reconcile()
        #expect(woo.stock(productID: wooID) == 10)
        try await Task.sleep(for: .milliseconds(300))
        try await daemon.drainInbox()

        // A stock adjustment in Shopify: only the level's webhook is sent.
        let before = try opened.inbox.deliveries().count
        try shop.adjustStock(inventoryItemID: item, by: -3)
        func levelDeliveries() throws -> [InboxDelivery] {
            try opened.inbox.deliveries(store: "shopify").filter { $0.topic == "inventory_levels/update" && $0.sequence > Int64(before) }
        }
        let deadline = ContinuousClock.now.advanced(by: .seconds(15))
        while try levelDeliveries().isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(try levelDeliveries().count == 1)

        // Drained and pushed — no reconciliation pass — WooCommerce shows 7.
        try await daemon.drainInbox()
        let level = try #require(try levelDeliveries().first)
        #expect(level.status == .processed && level.reason == "stock -3", "\(level.status) \(level.reason ?? "")")
        #expect(woo.stock(productID: wooID) == 7)
        #expect(shop.products().first?["variants"]?[0]?["inventory_quantity"]?.int == 7, "Shopify was not moved again")

        // The same level delivered again (another subscription's copy, or a late retry) changes nothing.
        let headers = shopifyHeaders(topic: "inventory_levels/update", webhookID: "copy-of-\(level.deliveryID)", body: level.body)
        #expect(try await httpRequest(base + "/webhooks/shopify/shopify", headers: headers, body: level.body).0 == 200)
        try await daemon.drainInbox()
        #expect(try levelDeliveries().last?.reason == "stock unchanged")
        #expect(woo.stock(productID: wooID) == 7)
        await daemon.stop()
        await shopServer.stop()
        await wooServer.stop()
    }
}
