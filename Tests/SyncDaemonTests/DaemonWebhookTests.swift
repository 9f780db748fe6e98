import Connectors
import Foundation
import OordenLedger
import StoreEmulators
import SyncCore
import SyncDaemon
import SyncDriver
import SyncEngine
import Testing

@Suite("Daemon: webhook receiver, durable inbox, processing (real loopback HTTP)")
struct DaemonWebhookTests {
    @Test("a store's signed webhook reaches the Oorden ledger; duplicated deliveries are stored and applied once")
    func signedWebhookUpdatesLedger() async throws {
        let rig = try await DaemonRig(directory: try temporaryDirectory(), withEmulator: true)
        let shop = try #require(rig.shopify)
        let ep = try #require(rig.endpoint)
        try await rig.daemon.start()
        let added = try await WebhookRegistration.register(ep.platform(clock: SystemWallClock()), baseURL: rig.baseURL, secret: "")
        #expect(added == ShopifyRecordFormat().webhookTopics)
        #expect(try await WebhookRegistration.register(ep.platform(clock: SystemWallClock()), baseURL: rig.baseURL, secret: "").isEmpty, "registering again adds nothing")

        await rig.daemon.reconcile()
        let before = try rig.ledger.contacts().count
        rig.clock.set(max(rig.clock.nowMilliseconds(), SystemWallClock().nowMilliseconds()) + 2_000)   // keep up with the real Date headers under load
        // Every delivery arrives twice (the emulator's duplicate fault), as stores do on retries.
        var faults = FaultPlan()
        faults.webhookDuplicateProbability = 1
        shop.faults = faults
        let created = try shop.createCustomer(email: "ana.lopez@ejemplo.mx", firstName: "Ana", lastName: "López")
        let id = try #require(created["id"]?.int)
        #expect(try await rig.waitForInbox(1))
        // Both copies have been POSTed once the server counted two deliveries.
        for _ in 0..<500 where (rig.server?.webhookStats.delivered ?? 0) < 2 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(rig.server?.webhookStats.delivered == 2)
        #expect(try rig.inbox.deliveries().count == 1, "the duplicate was recognised by its delivery id")

        #expect(try await rig.daemon.drainInbox() == 1)
        let ana = try rig.ledger.contacts().filter { $0.email == "ana.lopez@ejemplo.mx" }
        #expect(ana.count == 1 && ana.first?.lastName == "López")
        #expect(try rig.ledger.contacts().count == before + 1)
        #expect(try rig.inbox.deliveries().map(\.status) == [.processed])

        // An update by webhook changes the same contact, once.
        rig.clock.set(max(rig.clock.nowMilliseconds(), SystemWallClock().nowMilliseconds()) + 2_000)   // keep up with the real Date headers under load
        _ = try shop.updateCustomer(id: id, ["phone": "+525511112222"])
        #expect(try await rig.waitForInbox(2))
        try await rig.daemon.drainInbox()
        let updated = try rig.ledger.contacts().filter { $0.email == "ana.lopez@ejemplo.mx" }
        let trail = try rig.inbox.deliveries().map { "\($0.topic) \($0.status) \($0.reason ?? "") \(String(decoding: $0.body, as: UTF8.self).prefix(400))" }
        #expect(updated.count == 1 && updated.first?.phone == "+525511112222", "\(updated.map { $0.phone ?? "nil" }) \(trail)")
        #expect(try rig.ledger.contacts().count == before + 1)

        // Both copies of the update have been POSTed before the counters are read.
        for _ in 0..<1_000 where (rig.server?.webhookStats.delivered ?? 0) < 4 { try await Task.sleep(for: .milliseconds(10)) }
        let metrics = await rig.daemon.metricsText()
        #expect(PrometheusTextCheck(metrics).problems.isEmpty, "\(PrometheusTextCheck(metrics).problems)")
        #expect(metricValue(metrics, #"oorden_sync_webhook_duplicates_total{store="shopify"}"#) == 2)
        #expect(metricValue(metrics, #"oorden_sync_inbox_deliveries{status="processed",store="shopify"}"#) == 2)
        #expect(metricValue(metrics, #"oorden_sync_inbox_deliveries{status="pending",store="shopify"}"#) == 0)
        await rig.shutdown()
    }

    @Test("a replayed delivery (same id, posted again later) changes nothing twice")
    func replayChangesNothing() async throws {
        let rig = try await DaemonRig(directory: try temporaryDirectory(), withEmulator: false)
        try await rig.daemon.start()
        let body = shopifyCustomerBody(id: 7001, email: "rene.diaz@ejemplo.mx", first: "René", last: "Díaz")
        let headers = shopifyHeaders(topic: "customers/create", webhookID: "wh-7001", body: body)
        let url = rig.baseURL + "/webhooks/shopify/shopify"
        #expect(try await httpRequest(url, headers: headers, body: body).0 == 200)
        try await rig.daemon.drainInbox()
        let first = try rig.ledger.contacts().filter { $0.email == "rene.diaz@ejemplo.mx" }
        #expect(first.count == 1)
        rig.clock.set(max(rig.clock.nowMilliseconds(), SystemWallClock().nowMilliseconds()) + 2_000)   // keep up with the real Date headers under load
        let (status, text) = try await httpRequest(url, headers: headers, body: body)
        #expect(status == 200 && text.contains("duplicate"))
        #expect(try await rig.daemon.drainInbox() == 0)
        #expect(try rig.ledger.contacts().filter { $0.email == "rene.diaz@ejemplo.mx" } == first)
        #expect(try rig.inbox.deliveries().count == 1)
        await rig.shutdown()
    }

    @Test("refusals: bad or missing signature 401, oversized 413, unknown store 404, malformed JSON 400 — nothing stored; ping 200")
    func refusals() async throws {
        let rig = try await DaemonRig(directory: try temporaryDirectory(), withEmulator: false, maxBodyBytes: 4096)
        try await rig.daemon.start()
        let url = rig.baseURL + "/webhooks/shopify/shopify"
        let body = shopifyCustomerBody(id: 1, email: "x@ejemplo.mx", first: "X", last: "Y")

        let wrongKey = shopifyHeaders(topic: "customers/create", webhookID: "a", body: body, secret: "not-the-secret")
        #expect(try await httpRequest(url, headers: wrongKey, body: body).0 == 401)
        var altered = body
        altered.append(contentsOf: Array(" ".utf8))
        #expect(try await httpRequest(url, headers: shopifyHeaders(topic: "customers/create", webhookID: "b", body: body), body: altered).0 == 401)
        let unsigned = shopifyHeaders(topic: "customers/create", webhookID: "c", body: body).filter { $0.0 != "X-Shopify-Hmac-Sha256" }
        #expect(try await httpRequest(url, headers: unsigned, body: body).0 == 401)

        let big = Data(repeating: UInt8(ascii: "a"), count: 10_000)
        #expect(try await httpRequest(url, headers: shopifyHeaders(topic: "customers/create", webhookID: "d", body: big), body: big).0 == 413)

        #expect(try await httpRequest(rig.baseURL + "/webhooks/shopify/otra-tienda", headers: shopifyHeaders(topic: "customers/create", webhookID: "e", body: body), body: body).0 == 404)
        #expect(try await httpRequest(rig.baseURL + "/webhooks/woocommerce/shopify", headers: shopifyHeaders(topic: "customers/create", webhookID: "f", body: body), body: body).0 == 404)

        let notJSON = Data("{\"id\": 1, ".utf8)
        #expect(try await httpRequest(url, headers: shopifyHeaders(topic: "customers/create", webhookID: "g", body: notJSON), body: notJSON).0 == 400)

        let ping = Data("webhook_id=42".utf8)
        let (pingStatus, _) = try await httpRequest(rig.baseURL + "/webhooks/woocommerce/woo",
                                                     headers: [("Content-Type", "application/x-www-form-urlencoded")], body: ping)
        #expect(pingStatus == 200)
        #expect(try rig.inbox.deliveries().isEmpty, "nothing was stored")

        // A correctly signed WooCommerce delivery is stored.
        let wooBody = JSONValue.object(["id": .integer(5), "email": "w@ejemplo.mx", "first_name": "W", "last_name": "Z"]).jsonData
        let wooHeaders = [("Content-Type", "application/json"), ("X-WC-Webhook-Topic", "customer.updated"),
                          ("X-WC-Webhook-Resource", "customer"), ("X-WC-Webhook-Event", "updated"),
                          ("X-WC-Webhook-Delivery-ID", "900"), ("X-WC-Webhook-ID", "3"), ("X-WC-Webhook-Source", DaemonRig.wooSiteURL + "/"),
                          ("X-WC-Webhook-Signature", WebhookVerifier(platform: .wooCommerce, secret: DaemonRig.wooSecret).sign(wooBody))]
        #expect(try await httpRequest(rig.baseURL + "/webhooks/woocommerce/woo", headers: wooHeaders, body: wooBody).0 == 200)
        // Keyed by its content, not by WooCommerce's delivery id (new for every delivery).
        #expect(try rig.inbox.deliveries().map { $0.deliveryID.hasPrefix("wc-") } == [true])

        let (health, healthText) = try await httpRequest(rig.baseURL + "/healthz", method: "GET")
        #expect(health == 200 && healthText == "ok\n")
        let (metricsStatus, metrics) = try await httpRequest(rig.baseURL + "/metrics", method: "GET")
        #expect(metricsStatus == 200)
        #expect(PrometheusTextCheck(metrics).problems.isEmpty, "\(PrometheusTextCheck(metrics).problems)")
        #expect(metricValue(metrics, #"oorden_sync_webhook_responses_total{code="401",store="shopify"}"#) == 3)
        #expect(metricValue(metrics, #"oorden_sync_webhook_responses_total{code="413",store="shopify"}"#) == 1)
        #expect(metricValue(metrics, #"oorden_sync_inbox_deliveries{status="pending",store="woo"}"#) == 1)
        await rig.shutdown()
    }

    @Test("orders are kept in the inbox as skipped with the reason, not dropped")
    func ordersSkipped() async throws {
        let rig = try await DaemonRig(directory: try temporaryDirectory(), withEmulator: false)
        try await rig.daemon.start()
        let body = JSONValue.object(["id": .integer(99), "name": "#1001"]).jsonData
        #expect(try await httpRequest(rig.baseURL + "/webhooks/shopify/shopify", headers: shopifyHeaders(topic: "orders/create", webhookID: "o1", body: body), body: body).0 == 200)
        try await rig.daemon.drainInbox()
        let stored = try rig.inbox.deliveries()
        #expect(stored.map(\.status) == [.skipped])
        #expect(stored.first?.reason?.contains("has no endpoint in this daemon") == true)
        #expect(stored.first?.body == body, "the body is kept exactly")
        await rig.shutdown()
    }

    @Test("restart resumes from the inbox: deliveries stored before a stop are processed after reopening")
    func restartResumes() async throws {
        let dir = try temporaryDirectory()
        do {
            let rig = try await DaemonRig(directory: dir, withEmulator: false)
            try await rig.daemon.start()
            for (i, name) in ["Lucía", "Mateo", "Sofía"].enumerated() {
                let body = shopifyCustomerBody(id: 8000 + i, email: "\(i)@restart.mx", first: name, last: "Pérez")
                #expect(try await httpRequest(rig.baseURL + "/webhooks/shopify/shopify",
                                              headers: shopifyHeaders(topic: "customers/create", webhookID: "r\(i)", body: body), body: body).0 == 200)
            }
            await rig.shutdown()
            #expect(try rig.ledger.contacts().isEmpty, "nothing processed before the stop")
        }
        let reopened = try await DaemonRig(directory: dir, withEmulator: false)
        #expect(try reopened.inbox.pending(limit: 10).count == 3)
        #expect(try await reopened.daemon.drainInbox() == 3)
        #expect(Set(try reopened.ledger.contacts().compactMap(\.email)) == ["0@restart.mx", "1@restart.mx", "2@restart.mx"])
        #expect(try reopened.inbox.pending(limit: 10).isEmpty)
    }

    @Test("run() processes deliveries as they arrive and returns after stop()")
    func runLoopStops() async throws {
        let rig = try await DaemonRig(directory: try temporaryDirectory(), withEmulator: false)
        try await rig.daemon.start()
        let daemon = rig.daemon
        let loop = Task { await daemon.run() }
        let body = shopifyCustomerBody(id: 9100, email: "loop@ejemplo.mx", first: "Iván", last: "Ruiz")
        #expect(try await httpRequest(rig.baseURL + "/webhooks/shopify/shopify", headers: shopifyHeaders(topic: "customers/create", webhookID: "l1", body: body), body: body).0 == 200)
        for _ in 0..<500 where try rig.ledger.contacts().isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        #expect(try rig.ledger.contacts().map(\.email) == ["loop@ejemplo.mx"])
        await daemon.stop()
        await loop.value
        #expect(try rig.inbox.pending(limit: 10).isEmpty)
    }
}
