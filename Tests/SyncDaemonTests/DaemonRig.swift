import Connectors
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import OordenLedger
import OordenLedgerAdapter
import StoreEmulators
import SyncCore
import SyncDaemon
import SyncDriver
import SyncEngine

struct NoSleep: StoreSleeper {
    func sleep(milliseconds: Int64) async throws {}
}

/// A fresh temporary directory for one test's SQLite files.
func temporaryDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("daemon-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// A company ledger and engine in files under `directory`, a daemon over them, and optionally a
/// Shopify emulator served over loopback HTTP as the store `shopify`.
struct DaemonRig {
    let clock: ManualClock
    let ledger: OordenLedger
    let engine: SyncEngine
    let inbox: WebhookInbox
    let daemon: SyncDaemon
    let driver: SyncDriver
    let shopify: ShopifyEmulator?
    let server: EmulatorServer?
    let endpoint: StoreEndpoint?

    static let shopifySecret = "shpss_test_secret_0123456789"
    static let wooSecret = "woo-webhook-secret"
    /// The shop domain the Shopify emulator sends (and ``shopifyHeaders(topic:webhookID:body:secret:)``).
    static let shopDomain = ShopifyEmulatorConfiguration().shopDomain
    /// The WooCommerce store `woo`'s site URL; hand-made deliveries send it as `X-WC-Webhook-Source`.
    static let wooSiteURL = "https://tienda.example.mx"
    /// The receiver's stores: `shopify` and `woo`, with the secrets and sources above.
    static let storeSecrets = [
        WebhookReceiver.StoreSecret(name: "shopify", kind: .shopify, secret: shopifySecret, source: .shopify(shopDomain: shopDomain)),
        WebhookReceiver.StoreSecret(name: "woo", kind: .woocommerce, secret: wooSecret, source: .wooCommerce(siteURL: wooSiteURL)),
    ]

    /// The clock starts at the real time: the loopback HTTP server stamps responses with a real `Date`
    /// header, which the driver uses to estimate the store's clock offset.
    init(directory: String, clock: ManualClock = ManualClock(milliseconds: SystemWallClock().nowMilliseconds()), withEmulator: Bool, seedCustomers: Int = 3,
         maxBodyBytes: Int = 64 * 1024) async throws {
        var logger = Logger(label: "daemon-test")
        logger.logLevel = .warning
        self.clock = clock
        ledger = try OordenLedger(path: directory + "/ledger.sqlite", clock: clock)
        if try ledger.company() == nil { _ = try ledger.setCompany(name: "Mi Empresa", currency: "MXN") }
        engine = try SyncEngine.open(path: directory + "/engine.sqlite", clock: clock, seed: 1, logger: logger)
        if try engine.link(named: "shopify") == nil { try engine.connect(link: "shopify", kind: .shopify) }
        if try engine.link(named: "woo") == nil { try engine.connect(link: "woo", kind: .woocommerce) }
        inbox = try WebhookInbox(path: directory + "/inbox.sqlite")
        var endpoints: [StoreEndpoint] = []
        if withEmulator {
            var config = ShopifyEmulatorConfiguration()
            config.rateLimitEnabled = false
            config.webhookSecret = Self.shopifySecret
            let shop = ShopifyEmulator(configuration: config, seed: 11, clock: clock)
            shop.seed(customers: seedCustomers, products: 1, orders: 0)
            var serverConfig = EmulatorServer.Configuration()
            serverConfig.webhookPollInterval = .milliseconds(10)
            serverConfig.webhookRetryDelay = .milliseconds(50)
            let server = EmulatorServer(emulator: shop, configuration: serverConfig, logger: logger)
            let port = try await server.start()
            let origin = "http://127.0.0.1:\(port)"
            let ep = StoreEndpoint(link: "shopify", kind: .shopify, transport: StoreClient(
                transport: URLSessionTransport(origin: origin, timeoutSeconds: 30, logger: logger),
                credentials: .shopify(.accessToken(shop.credentials.accessToken)), siteURL: origin,
                clock: clock, random: SeededRandom(seed: 3), sleeper: NoSleep(), logger: logger))
            endpoints.append(ep)
            shopify = shop
            self.server = server
            endpoint = ep
        } else {
            shopify = nil
            server = nil
            endpoint = nil
        }
        let driver = SyncDriver(engine: engine, host: OordenLedgerHost(ledger: ledger), endpoints: endpoints, clock: clock, logger: logger)
        self.driver = driver
        var settings = SyncDaemon.Settings()
        settings.maxBodyBytes = maxBodyBytes
        daemon = SyncDaemon(driver: driver, inbox: inbox,
                            stores: Self.storeSecrets,
                            settings: settings, clock: clock, logger: logger)
    }

    /// The receiver's base URL (after `daemon.start()`).
    var baseURL: String { "http://127.0.0.1:\(daemon.port ?? 0)" }

    func shutdown() async {
        await daemon.stop()
        await server?.stop()
    }

    /// Waits (real time, bounded) until the inbox holds at least `count` deliveries.
    func waitForInbox(_ count: Int, seconds: Double = 10) async throws -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64(seconds * 1000)))
        while ContinuousClock.now < deadline {
            if try inbox.deliveries().count >= count { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}

/// POSTs `body` with `headers` over loopback HTTP; returns the status and the body text.
func httpRequest(_ url: String, method: String = "POST", headers: [(String, String)] = [], body: Data = Data()) async throws -> (Int, String) {
    var request = URLRequest(url: URL(string: url)!, timeoutInterval: 10)
    request.httpMethod = method
    for (name, value) in headers { request.addValue(value, forHTTPHeaderField: name) }
    if method != "GET" { request.httpBody = body }
    let (data, response) = try await URLSession.shared.data(for: request)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
}

/// The headers Shopify sends with a delivery of `body`, signed with `secret`.
func shopifyHeaders(topic: String, webhookID: String, body: Data, secret: String = DaemonRig.shopifySecret) -> [(String, String)] {
    [("Content-Type", "application/json"), ("X-Shopify-Topic", topic),
     ("X-Shopify-Hmac-Sha256", WebhookVerifier(platform: .shopify, secret: secret).sign(body)),
     ("X-Shopify-Shop-Domain", DaemonRig.shopDomain), ("X-Shopify-API-Version", "2024-10"),
     ("X-Shopify-Webhook-Id", webhookID), ("X-Shopify-Triggered-At", "2026-11-29T15:00:00.000Z")]
}

/// A Shopify customer webhook body.
func shopifyCustomerBody(id: Int, email: String, first: String, last: String, updatedAt: String = "2026-11-29T14:59:00-06:00") -> Data {
    let json: JSONValue = [
        "id": .integer(id), "email": .string(email), "first_name": .string(first), "last_name": .string(last),
        "phone": .null, "note": .null, "tags": "", "state": "enabled", "verified_email": true,
        "created_at": .string(updatedAt), "updated_at": .string(updatedAt), "addresses": [], "currency": "MXN",
    ]
    return json.jsonData
}
