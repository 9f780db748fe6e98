import Connectors
import Foundation
import StoreEmulators
import SyncCore
import Testing

@Suite("Webhook verification of the Shopify emulator's deliveries")
struct WebhookEmulatorTests {
    @Test("deliveries verify with the shop's secret, carry the dedup id, and fail once a byte changes")
    func shopifyDeliveries() throws {
        let shop = ShopifyEmulator(seed: 31, clock: ManualClock(milliseconds: 1_796_050_805_000))
        let register = #"{"webhook":{"topic":"customers/create","address":"http://127.0.0.1:9/webhooks/shopify","format":"json"}}"#
        let reply = shop.handle(StoreRequest(
            method: .post, path: "\(shop.apiPath)/webhooks.json",
            headers: ["X-Shopify-Access-Token": shop.credentials.accessToken, "Content-Type": "application/json"],
            body: Data(register.utf8)))
        #expect(reply.response?.status == 201)
        _ = try shop.createCustomer(email: "ana@example.com", firstName: "Ana", lastName: "Ruiz")
        let deliveries = shop.takeDueWebhooks()
        let delivery = try #require(deliveries.first)
        #expect(deliveries.count == 1)

        let verifier = WebhookVerifier(platform: .shopify, secret: shop.credentials.webhookSecret)
        let envelope = try verifier.verify(headers: delivery.headers, body: delivery.body)
        #expect(envelope.topic == "customers/create")
        #expect(envelope.deliveryID == delivery.deliveryID)
        #expect(envelope.source == shop.configuration.shopDomain)
        #expect(envelope.eventID != nil)
        #expect(envelope.triggeredAtMilliseconds == 1_796_050_805_000)

        var tampered = delivery.body
        tampered[tampered.count / 2] ^= 0x20
        let error = #expect(throws: WebhookError.self) {
            try verifier.verify(headers: delivery.headers, body: tampered)
        }
        #expect(error?.code == .invalidSignature)
        #expect(throws: WebhookError.self) {
            try WebhookVerifier(platform: .shopify, secret: "not-the-secret").verify(headers: delivery.headers, body: delivery.body)
        }
    }
}
