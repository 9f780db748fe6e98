import Connectors
import Foundation
import SyncCore
import Testing

/// What each store's webhook topics mean to the inbox, and how its deliveries are deduplicated
/// (``StoreRecordFormat``): the rules the daemon used to spell out per store kind.
@Suite("Store record formats: webhook topics and delivery keys")
struct StoreRecordFormatTests {
    @Test("Shopify topics", arguments: [
        ("customers/create", WebhookTopic.contact), ("customers/update", .contact), ("customers/enable", .contact),
        ("customers/disable", .contact), ("customers/delete", .contactDeleted), ("products/create", .product),
        ("products/update", .product), ("products/delete", .productDeleted), ("inventory_levels/update", .inventoryLevel),
        ("orders/create", .order), ("orders/paid", .order), ("orders/fulfilled", .order), ("orders/partially_fulfilled", .order),
        ("orders/delete", .orderDeleted), ("orders/edited", .orderEvent), ("refunds/create", .unknown), ("customer.created", .unknown),
    ])
    func shopifyTopics(topic: String, expected: WebhookTopic) {
        #expect(ShopifyRecordFormat().topic(topic) == expected)
    }

    @Test("WooCommerce topics", arguments: [
        ("customer.created", WebhookTopic.contact), ("customer.updated", .contact), ("customer.restored", .contact),
        ("customer.deleted", .contactDeleted), ("product.created", .product), ("product.restored", .product),
        ("product.deleted", .productDeleted), ("order.created", .order), ("order.updated", .order), ("order.restored", .order),
        ("order.deleted", .orderDeleted), ("order.note_added", .orderEvent), ("coupon.created", .unknown), ("orders/create", .unknown),
    ])
    func wooCommerceTopics(topic: String, expected: WebhookTopic) {
        #expect(WooCommerceRecordFormat().topic(topic) == expected)
    }

    @Test("every topic registered with a store is one the inbox processes", arguments: StoreKind.allCases)
    func registeredTopicsAreProcessed(kind: StoreKind) {
        let format = kind.recordFormat
        #expect(format.kind == kind)
        #expect(!format.webhookTopics.isEmpty)
        for topic in format.webhookTopics {
            #expect(![WebhookTopic.unknown, .orderEvent].contains(format.topic(topic)), "\(kind) registers \(topic) but would skip it")
        }
    }

    @Test("Shopify deduplicates by its webhook id; WooCommerce, whose delivery ids are new on every send, by the body")
    func deduplicationKeys() {
        var envelope = WebhookEnvelope(platform: .shopify, isPing: false)
        envelope.deliveryID = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"
        #expect(ShopifyRecordFormat().deduplicationKey(envelope: envelope, fingerprint: "f00d") == "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
        envelope.deliveryID = nil
        #expect(ShopifyRecordFormat().deduplicationKey(envelope: envelope, fingerprint: "f00d") == "body-f00d")
        var woo = WebhookEnvelope(platform: .wooCommerce, isPing: false)
        woo.deliveryID = "9321"
        #expect(WooCommerceRecordFormat().deduplicationKey(envelope: woo, fingerprint: "f00d") == "wc-f00d")
    }

    @Test("a WooCommerce variable product body lacks its sellable records; a simple one and any Shopify product do not")
    func variations() throws {
        let variable = try JSONValue.parse(Data(#"{"id": 7, "type": "variable", "name": "Camisa"}"#.utf8))
        let simple = try JSONValue.parse(Data(#"{"id": 8, "type": "simple", "name": "Taza"}"#.utf8))
        #expect(WooCommerceRecordFormat().needsVariations(variable))
        #expect(!WooCommerceRecordFormat().needsVariations(simple))
        #expect(!ShopifyRecordFormat().needsVariations(variable))
    }
}
