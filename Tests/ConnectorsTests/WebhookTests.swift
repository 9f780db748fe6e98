import Connectors
import Foundation
import SyncCore
import Testing

@Suite("Webhook verification")
struct WebhookTests {
    static let body = Data(#"{"id":7,"email":"ana@example.com"}"#.utf8)
    // base64(HMAC-SHA256("whsec_test", body)), computed independently with Python.
    static let signature = "Dr5W/vAKFgm8Bn4kx5hOxm6cgxa/tqZRMrUXusb6j98="

    static func shopifyHeaders(signature: String? = WebhookTests.signature, prefix: String = "X-") -> HeaderFields {
        var h = HeaderFields()
        if let signature { h.add(prefix + "Shopify-Hmac-Sha256", signature) }
        h.add(prefix + "Shopify-Topic", "customers/update")
        h.add(prefix + "Shopify-Shop-Domain", "oorden-test.myshopify.com")
        h.add(prefix + "Shopify-API-Version", "2024-10")
        h.add(prefix + "Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
        h.add(prefix + "Shopify-Triggered-At", "2026-11-29T15:00:05.123Z")
        h.add(prefix + "Shopify-Event-Id", "98880550-7158-44d4-b7cd-2c97c8a091b5")
        return h
    }

    static func wooHeaders(signature: String? = WebhookTests.signature) -> HeaderFields {
        var h: HeaderFields = [
            "X-WC-Webhook-Source": "http://127.0.0.1:8082/",
            "X-WC-Webhook-Topic": "customer.updated",
            "X-WC-Webhook-Resource": "customer",
            "X-WC-Webhook-Event": "updated",
            "X-WC-Webhook-ID": "12",
            "X-WC-Webhook-Delivery-ID": "d41d8cd98f00b204e9800998ecf8427e",
        ]
        if let signature { h["X-WC-Webhook-Signature"] = signature }
        return h
    }

    @Test("a valid Shopify delivery verifies and parses every header")
    func validShopify() throws {
        let verifier = WebhookVerifier(platform: .shopify, secret: "whsec_test")
        let envelope = try verifier.verify(headers: Self.shopifyHeaders(), body: Self.body)
        #expect(!envelope.isPing)
        #expect(envelope.topic == "customers/update")
        #expect(envelope.source == "oorden-test.myshopify.com")
        #expect(envelope.apiVersion == "2024-10")
        #expect(envelope.webhookID == "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
        #expect(envelope.eventID == "98880550-7158-44d4-b7cd-2c97c8a091b5")
        #expect(envelope.deliveryID == "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
        #expect(envelope.triggeredAtMilliseconds == ISO8601Time.parse("2026-11-29T15:00:05.123Z"))
        #expect(verifier.sign(Self.body) == Self.signature)
    }

    @Test("Shopify headers without the X- prefix, in any case, are accepted")
    func unprefixedLowercase() throws {
        let lowered = HeaderFields(Self.shopifyHeaders(prefix: "").map { ($0.name.lowercased(), $0.value) })
        let envelope = try WebhookVerifier(platform: .shopify, secret: "whsec_test").verify(headers: lowered, body: Self.body)
        #expect(envelope.topic == "customers/update")
        #expect(envelope.eventID == "98880550-7158-44d4-b7cd-2c97c8a091b5")
    }

    @Test("a valid WooCommerce delivery verifies and parses every header")
    func validWoo() throws {
        let envelope = try WebhookVerifier(platform: .wooCommerce, secret: "whsec_test").verify(headers: Self.wooHeaders(), body: Self.body)
        #expect(envelope.topic == "customer.updated")
        #expect(envelope.resource == "customer" && envelope.event == "updated")
        #expect(envelope.deliveryID == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(envelope.webhookID == "12")
        #expect(envelope.source == "http://127.0.0.1:8082/")
    }

    @Test("a wrong secret is an invalid signature")
    func wrongSecret() {
        let verifier = WebhookVerifier(platform: .shopify, secret: "whsec_other")
        #expect(throws: WebhookError(code: .invalidSignature, message: "the X-Shopify-Hmac-Sha256 signature does not match the body; check the webhook secret, or the body was altered")) {
            try verifier.verify(headers: Self.shopifyHeaders(), body: Self.body)
        }
    }

    @Test("one changed body byte is an invalid signature", arguments: [0, 5, 33])
    func tamperedBody(_ index: Int) {
        var body = Self.body
        body[index] ^= 0x01
        for platform in WebhookPlatform.allCases {
            let headers = platform == .shopify ? Self.shopifyHeaders() : Self.wooHeaders()
            let error = #expect(throws: WebhookError.self) {
                try WebhookVerifier(platform: platform, secret: "whsec_test").verify(headers: headers, body: body)
            }
            #expect(error?.code == .invalidSignature)
            #expect(error?.httpStatus == 401)
        }
    }

    @Test("re-serialized JSON with the same meaning does not verify (raw bytes are signed)")
    func reserialized() throws {
        let canonical = try JSONValue.parse(Self.body).jsonData + Data(" ".utf8)
        #expect(!WebhookVerifier(platform: .shopify, secret: "whsec_test").isValid(signature: Self.signature, body: canonical))
    }

    @Test("a missing signature header is refused")
    func missingSignature() {
        for platform in WebhookPlatform.allCases {
            let headers = platform == .shopify ? Self.shopifyHeaders(signature: nil) : Self.wooHeaders(signature: nil)
            let error = #expect(throws: WebhookError.self) {
                try WebhookVerifier(platform: platform, secret: "whsec_test").verify(headers: headers, body: Self.body)
            }
            #expect(error?.code == .missingSignature)
        }
        let bare = #expect(throws: WebhookError.self) {
            try WebhookVerifier(platform: .shopify, secret: "s").verify(headers: HeaderFields(), body: Self.body)
        }
        #expect(bare?.code == .missingSignature)
    }

    @Test("a signature that is not base64 of 32 bytes is malformed", arguments: ["not base64!", "", "c2hvcnQ="])
    func malformed(_ signature: String) {
        let error = #expect(throws: WebhookError.self) {
            try WebhookVerifier(platform: .wooCommerce, secret: "whsec_test").verify(headers: Self.wooHeaders(signature: signature), body: Self.body)
        }
        #expect(error?.code == (signature.isEmpty ? .missingSignature : .malformedSignature))
    }

    @Test("a signed delivery without a topic is refused as a bad request")
    func missingTopic() {
        var headers = Self.shopifyHeaders()
        headers["X-Shopify-Topic"] = nil
        let error = #expect(throws: WebhookError.self) {
            try WebhookVerifier(platform: .shopify, secret: "whsec_test").verify(headers: headers, body: Self.body)
        }
        #expect(error?.code == .missingHeader)
        #expect(error?.httpStatus == 400)
    }

    @Test("the WooCommerce ping is recognised, not refused")
    func ping() throws {
        let headers: HeaderFields = ["Content-Type": "application/x-www-form-urlencoded", "User-Agent": "WooCommerce/9.0 Hookshot (WordPress/6.5)"]
        let envelope = try WebhookVerifier(platform: .wooCommerce, secret: "whsec_test").verify(headers: headers, body: Data("webhook_id=15".utf8))
        #expect(envelope.isPing)
        #expect(envelope.webhookID == "15")
        #expect(envelope.topic == nil)
        // Anything else unsigned is not a ping.
        for body in ["webhook_id=", "webhook_id=15&x=1", "webhook_id=abc", #"{"webhook_id":15}"#] {
            let error = #expect(throws: WebhookError.self) {
                try WebhookVerifier(platform: .wooCommerce, secret: "whsec_test").verify(headers: headers, body: Data(body.utf8))
            }
            #expect(error?.code == .missingSignature)
        }
        // Shopify has no ping.
        #expect(throws: WebhookError.self) {
            try WebhookVerifier(platform: .shopify, secret: "whsec_test").verify(headers: HeaderFields(), body: Data("webhook_id=15".utf8))
        }
    }

    @Test("the verifier never prints its secret")
    func redacted() {
        let verifier = WebhookVerifier(platform: .shopify, secret: "whsec_hidden")
        var dumped = ""
        dump(verifier, to: &dumped)
        #expect(!"\(verifier)".contains("whsec_hidden"))
    }
}
