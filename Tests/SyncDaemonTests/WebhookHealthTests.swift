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

/// WooCommerce never retries a failed delivery and disables a webhook after more than 5 consecutive
/// failures; its delivery id is new for every delivery. Over real loopback HTTP.
@Suite("Daemon: WooCommerce webhook health (disabled subscriptions, per-delivery ids)")
struct WebhookHealthTests {
    /// A WooCommerce emulator served on loopback, with its REST client.
    struct WooSite {
        let woo: WooCommerceEmulator
        let server: EmulatorServer
        let endpoint: StoreEndpoint
    }

    static func serveWoo(clock: any WallClock, logger: Logger) async throws -> WooSite {
        var config = WooCommerceEmulatorConfiguration()
        config.assumeHTTPS = true
        let woo = WooCommerceEmulator(configuration: config, seed: 41, clock: clock, logger: logger)
        var serverConfig = EmulatorServer.Configuration()
        serverConfig.webhookPollInterval = .milliseconds(10)
        serverConfig.webhookRequestTimeoutSeconds = 2
        let server = EmulatorServer(emulator: woo, configuration: serverConfig, logger: logger)
        let origin = "http://127.0.0.1:\(try await server.start())"
        config.siteURL = origin
        woo.configuration = config
        let client = StoreClient(transport: URLSessionTransport(origin: origin, timeoutSeconds: 10, logger: logger),
                                 credentials: .wooCommerce(WooCommerceCredentials(consumerKey: woo.credentials.consumerKey,
                                                                                  consumerSecret: woo.credentials.consumerSecret, mode: .basic)),
                                 siteURL: origin, clock: clock, random: SeededRandom(seed: 9), sleeper: NoSleep(), logger: logger)
        return WooSite(woo: woo, server: server, endpoint: StoreEndpoint(link: "woo", kind: .woocommerce, transport: client))
    }

    /// A daemon over the files in `dir`, listening on `port` (0: any), repairing subscriptions each pass.
    static func daemon(_ dir: String, _ site: WooSite, port: Int, clock: any WallClock, logger: Logger) throws -> (SyncDaemon, OordenLedger) {
        let ledger = try OordenLedger(path: dir + "/ledger.sqlite", clock: clock)
        if try ledger.company() == nil { _ = try ledger.setCompany(name: "Mi Empresa", currency: "MXN") }
        let engine = try SyncEngine.open(path: dir + "/engine.sqlite", clock: clock, seed: 3, logger: logger)
        if try engine.link(named: "woo") == nil { try engine.connect(link: "woo", kind: .woocommerce) }
        let driver = SyncDriver(engine: engine, host: OordenLedgerHost(ledger: ledger), endpoints: [site.endpoint], clock: clock, logger: logger)
        var settings = SyncDaemon.Settings()
        settings.listenPort = port
        let secret = site.woo.credentials.webhookSecret
        let daemon = SyncDaemon(driver: driver, inbox: try WebhookInbox(path: dir + "/inbox.sqlite"),
                                stores: [WebhookReceiver.StoreSecret(name: "woo", kind: .woocommerce, secret: secret,
                                                                     source: .wooCommerce(siteURL: site.woo.configuration.siteURL))],
                                settings: settings, clock: clock, logger: logger,
                                webhooks: WebhookRegistration.Plan(baseURL: nil, wooCommerceSecrets: ["woo": secret]))
        return (daemon, ledger)
    }

    /// Waits (real time, bounded) for `condition`.
    static func eventually(seconds: Double = 15, _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64(seconds * 1000)))
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try condition()
    }

    @Test("down daemon: deliveries fail, WooCommerce disables the webhook; back up, the next pass re-activates it, counted, and a later change arrives by webhook")
    func disabledWebhookIsReactivated() async throws {
        var logger = Logger(label: "webhook-health")
        logger.logLevel = .critical
        let clock = SystemWallClock()
        let dir = try temporaryDirectory()
        let site = try await Self.serveWoo(clock: clock, logger: logger)
        let woo = site.woo
        let customer = try woo.createCustomer(email: "lucia.mora@ejemplo.mx", firstName: "Lucía", lastName: "Mora")

        // First run: subscribed, reconciled, then the daemon goes down (its port stays the address).
        let (first, _) = try Self.daemon(dir, site, port: 0, clock: clock, logger: logger)
        let port = try await first.start()
        let base = "http://127.0.0.1:\(port)"
        _ = try await WebhookRegistration.register(site.endpoint.platform(clock: SystemWallClock()), baseURL: base, secret: woo.credentials.webhookSecret)
        await first.reconcile()
        // Every subscription's creation ping was delivered (pings do not count towards disabling).
        #expect(try await Self.eventually { site.server.webhookStats.delivered >= WooCommerceRecordFormat().webhookTopics.count })
        let delivered = site.server.webhookStats.delivered
        await first.stop()

        // Seven edits while it is down: each delivery fails once (never retried); the 7th disables customer.updated.
        for i in 1...7 { try woo.editCustomer(customer, ["first_name": .string("Lucía \(i)")]) }
        func status(_ topic: String) -> String? { woo.webhooks().first { $0["topic"]?.string == topic }?["status"]?.string }
        #expect(try await Self.eventually { status("customer.updated") == "disabled" }, "WooCommerce disabled the webhook after the failures")
        #expect(site.server.webhookStats.failedAttempts == 7 && site.server.webhookStats.delivered == delivered, "\(site.server.webhookStats)")

        // Back up on the same address: the first reconciliation pass re-activates the webhook.
        let (second, ledger) = try Self.daemon(dir, site, port: port, clock: clock, logger: logger)
        try await second.start()
        await second.reconcile()
        #expect(status("customer.updated") == "active")
        #expect(await second.metricsText().contains("oorden_sync_webhooks_reactivated_total{store=\"woo\"} 1"))

        // A later change arrives by webhook (no pass in between) and reaches Oorden.
        try woo.editCustomer(customer, ["last_name": "Mora Ibarra"])
        #expect(try await Self.eventually { try second.inbox.deliveries().contains { $0.topic == "customer.updated" } })
        try await second.drainInbox()
        #expect(try ledger.contacts().first { $0.email == "lucia.mora@ejemplo.mx" }?.lastName == "Mora Ibarra")
        await second.stop()
        await site.server.stop()
    }

    @Test("the same WooCommerce event delivered twice with different delivery ids is stored and processed once")
    func duplicateWithNewDeliveryIDIsStoredOnce() async throws {
        let rig = try await DaemonRig(directory: try temporaryDirectory(), withEmulator: false)
        try await rig.daemon.start()
        let body = JSONValue.object([
            "id": .integer(77), "email": "paco.ruiz@ejemplo.mx", "first_name": "Paco", "last_name": "Ruiz",
            "date_created_gmt": "2026-11-29T14:00:00", "date_modified_gmt": "2026-11-29T14:59:00",
        ]).jsonData
        func headers(deliveryID: String) -> [(String, String)] {
            [("Content-Type", "application/json"), ("X-WC-Webhook-Topic", "customer.created"),
             ("X-WC-Webhook-Resource", "customer"), ("X-WC-Webhook-Event", "created"),
             ("X-WC-Webhook-Delivery-ID", deliveryID), ("X-WC-Webhook-ID", "4"), ("X-WC-Webhook-Source", DaemonRig.wooSiteURL + "/"),
             ("X-WC-Webhook-Signature", WebhookVerifier(platform: .wooCommerce, secret: DaemonRig.wooSecret).sign(body))]
        }
        let url = rig.baseURL + "/webhooks/woocommerce/woo"
        #expect(try await httpRequest(url, headers: headers(deliveryID: "5f1c0a9e"), body: body).0 == 200)
        let (status, text) = try await httpRequest(url, headers: headers(deliveryID: "b27d44c1"), body: body)
        #expect(status == 200 && text.contains("duplicate"))
        #expect(try rig.inbox.deliveries(store: "woo").count == 1, "stored once")
        #expect(try await rig.daemon.drainInbox() == 1, "processed once")
        #expect(try rig.ledger.contacts().filter { $0.email == "paco.ruiz@ejemplo.mx" }.count == 1)
        #expect(await rig.daemon.metricsText().contains("oorden_sync_webhook_duplicates_total{store=\"woo\"} 1"))

        // A later change of the same customer is a new event, stored.
        let edited = JSONValue.object([
            "id": .integer(77), "email": "paco.ruiz@ejemplo.mx", "first_name": "Paco", "last_name": "Ruiz Soto",
            "date_created_gmt": "2026-11-29T14:00:00", "date_modified_gmt": "2026-11-29T15:01:00",
        ]).jsonData
        var editHeaders = headers(deliveryID: "c0ffee01").filter { $0.0 != "X-WC-Webhook-Signature" && $0.0 != "X-WC-Webhook-Topic" }
        editHeaders.append(("X-WC-Webhook-Topic", "customer.updated"))
        editHeaders.append(("X-WC-Webhook-Signature", WebhookVerifier(platform: .wooCommerce, secret: DaemonRig.wooSecret).sign(edited)))
        #expect(try await httpRequest(url, headers: editHeaders, body: edited).1.contains("stored"))
        #expect(try rig.inbox.deliveries(store: "woo").count == 2)
        await rig.shutdown()
    }
}
