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

    @Test("Shopify deduplicates by its event id and topic, else its webhook id; WooCommerce, whose delivery ids are new on every send, by the body")
    func deduplicationKeys() {
        // One event delivered to two subscriptions: two webhook ids, one event id.
        let first = WebhookEnvelope(platform: .shopify, topic: "orders/paid", deliveryID: "w-1", eventID: "98880550", webhookID: "w-1")
        let second = WebhookEnvelope(platform: .shopify, topic: "orders/paid", deliveryID: "w-2", eventID: "98880550", webhookID: "w-2")
        let other = WebhookEnvelope(platform: .shopify, topic: "orders/updated", deliveryID: "w-3", eventID: "98880550", webhookID: "w-3")
        let keys = [first, second, other].map { ShopifyRecordFormat().deduplicationKey(envelope: $0, fingerprint: "f00d") }
        #expect(keys[0] == keys[1] && keys[0] == "event-orders/paid-98880550")
        #expect(keys[2] != keys[0], "another topic of the same event is another body")
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

    @Test("a record held from a GraphQL read keeps the node as its payload; Shopify's format reads it as the record REST gives")
    func graphQLNodesReadAsRecords() throws {
        let node = try JSONValue.parse(Data(#"{"id": "gid://shopify/Customer/7000000000001", "email": "ana@example.mx", "firstName": "Ana", "lastName": "Pérez", "updatedAt": "2026-11-29T15:00:05Z"}"#.utf8))
        let rest = try JSONValue.parse(Data(#"{"id": 7000000000001, "email": "ana@example.mx", "first_name": "Ana", "last_name": "Pérez", "updated_at": "2026-11-29T15:00:05Z"}"#.utf8))
        let format = ShopifyRecordFormat()
        #expect(try format.contact(json: node) == format.contact(json: rest))
        #expect(try format.contact(json: node).remoteID == "7000000000001")
    }
}
