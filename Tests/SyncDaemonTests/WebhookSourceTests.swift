import Connectors
import Foundation
import Logging
import SyncCore
import SyncDaemon
import SyncDriver
import Testing

@Suite("Receiver: a delivery must name the store its address is for (X-Shopify-Shop-Domain, X-WC-Webhook-Source)")
struct WebhookSourceTests {
    /// A receiver for the rig's stores, logging into `log`.
    private func receiver(_ log: LogCapture) throws -> (WebhookReceiver, WebhookInbox) {
        let inbox = try WebhookInbox(path: nil)
        let receiver = WebhookReceiver(stores: DaemonRig.storeSecrets, inbox: inbox, clock: ManualClock(milliseconds: 1_795_964_400_000),
                                       metrics: DaemonMetrics(), maxBodyBytes: 64 * 1024, metricsText: { "" }, logger: log.logger)
        return (receiver, inbox)
    }

    @Test("Shopify: another shop's domain is refused 403 and logged with both values, no domain 400; nothing stored; the store's own (any case) is stored")
    func shopifyShopDomain() async throws {
        let log = LogCapture()
        let (receiver, inbox) = try receiver(log)
        let port = try await receiver.start()
        let url = "http://127.0.0.1:\(port)/webhooks/shopify/shopify"
        let body = shopifyCustomerBody(id: 1, email: "x@ejemplo.mx", first: "X", last: "Y")
        func headers(_ id: String, domain: String?) -> [(String, String)] {
            shopifyHeaders(topic: "customers/create", webhookID: id, body: body).compactMap { name, value in
                name == "X-Shopify-Shop-Domain" ? domain.map { (name, $0) } : (name, value)
            }
        }

        let (other, otherText) = try await httpRequest(url, headers: headers("a", domain: "otra-tienda.myshopify.com"), body: body)
        #expect(other == 403, "\(otherText)")
        #expect(otherText.contains("otra-tienda.myshopify.com") && otherText.contains(DaemonRig.shopDomain))
        let (missing, missingText) = try await httpRequest(url, headers: headers("b", domain: nil), body: body)
        #expect(missing == 400, "\(missingText)")
        #expect(missingText.contains("X-Shopify-Shop-Domain"))
        #expect(try inbox.deliveries().isEmpty, "nothing was stored")

        let refused = log.all.filter { $0.message == "webhook refused" && $0.metadata["code"] == "wrongSource" }
        #expect(refused.first?.metadata["expected"] == DaemonRig.shopDomain)
        #expect(refused.first?.metadata["received"] == "otra-tienda.myshopify.com")

        #expect(try await httpRequest(url, headers: headers("c", domain: DaemonRig.shopDomain.uppercased()), body: body).0 == 200)
        #expect(try inbox.deliveries().map(\.deliveryID) == ["c"])
        await receiver.stop()
    }

    @Test("WooCommerce: another site's X-WC-Webhook-Source is refused 403, none 400; the configured site URL (with its trailing /) is stored")
    func wooCommerceSource() async throws {
        let log = LogCapture()
        let (receiver, inbox) = try receiver(log)
        let port = try await receiver.start()
        let url = "http://127.0.0.1:\(port)/webhooks/woocommerce/woo"
        let body = JSONValue.object(["id": .integer(5), "email": "w@ejemplo.mx", "first_name": "W", "last_name": "Z"]).jsonData
        func headers(_ id: String, source: String?) -> [(String, String)] {
            var h = [("Content-Type", "application/json"), ("X-WC-Webhook-Topic", "customer.updated"),
                     ("X-WC-Webhook-Delivery-ID", id),
                     ("X-WC-Webhook-Signature", WebhookVerifier(platform: .wooCommerce, secret: DaemonRig.wooSecret).sign(body))]
            if let source { h.append(("X-WC-Webhook-Source", source)) }
            return h
        }
        #expect(try await httpRequest(url, headers: headers("1", source: "https://otra-tienda.mx/"), body: body).0 == 403)
        #expect(try await httpRequest(url, headers: headers("2", source: nil), body: body).0 == 400)
        #expect(try inbox.deliveries().isEmpty)
        let refused = log.all.first { $0.metadata["code"] == "wrongSource" }
        #expect(refused?.metadata["expected"] == DaemonRig.wooSiteURL && refused?.metadata["received"] == "https://otra-tienda.mx/")

        #expect(try await httpRequest(url, headers: headers("3", source: DaemonRig.wooSiteURL + "/"), body: body).0 == 200)
        // Stored once, under the content key WooCommerce deliveries are deduplicated by (not its delivery id).
        #expect(try inbox.deliveries().map(\.deliveryID).count == 1)
        #expect(try inbox.deliveries().first?.deliveryID.hasPrefix("wc-") == true)
        await receiver.stop()
    }

    @Test("the configuration gives each store its source: a myshopify.com URL's host, shop_domain for an emulator URL (required there), WooCommerce's url")
    func sourcesFromConfiguration() throws {
        func store(_ json: String) throws -> SyncConfiguration.Store {
            let doc = try JSONValue.parse(Data(#"{"engine": {"database": "e.sqlite"}, "ledger": {"path": "l.sqlite"}, "stores": [\#(json)]}"#.utf8))
            return try SyncConfiguration.parse(doc, baseDirectory: "/tmp").stores[0]
        }
        let real = try store(#"{"name": "s", "kind": "shopify", "url": "https://Mi-Tienda.myshopify.com", "access_token_env": "T"}"#)
        #expect(try real.webhookSource() == .shopify(shopDomain: "mi-tienda.myshopify.com"))
        let emulator = try store(#"{"name": "s", "kind": "shopify", "url": "http://127.0.0.1:9000", "access_token_env": "T", "shop_domain": "oorden-demo.myshopify.com"}"#)
        #expect(try emulator.webhookSource() == .shopify(shopDomain: "oorden-demo.myshopify.com"))
        let unnamed = try store(#"{"name": "s", "kind": "shopify", "url": "http://127.0.0.1:9000", "access_token_env": "T"}"#)
        #expect(throws: ConfigurationError.self) { try unnamed.webhookSource() }
        let woo = try store(#"{"name": "w", "kind": "woocommerce", "url": "https://ejemplo.mx/tienda", "consumer_key_env": "K", "consumer_secret_env": "S"}"#)
        #expect(try woo.webhookSource() == .wooCommerce(siteURL: "https://ejemplo.mx/tienda/"))
        #expect(throws: ConfigurationError.self) {
            try store(#"{"name": "w", "kind": "woocommerce", "url": "https://ejemplo.mx", "consumer_key_env": "K", "consumer_secret_env": "S", "shop_domain": "x.myshopify.com"}"#)
        }
    }
}
