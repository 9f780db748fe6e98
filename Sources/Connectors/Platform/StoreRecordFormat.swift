import Foundation
import SyncCore

/// How one store's JSON reads as canonical records, without a request: webhook bodies, records held
/// with their payload, and what each webhook topic means.
///
/// It is the part of a ``StorePlatform`` the webhook inbox needs, which processes deliveries stored
/// earlier (possibly by a daemon with no client for the store): ``SyncCore/StoreKind/recordFormat``
/// gives it from the kind recorded with each delivery.
package protocol StoreRecordFormat: Sendable {
    var kind: StoreKind { get }
    /// The signature and header scheme of this store's deliveries.
    var webhookPlatform: WebhookPlatform { get }
    /// The webhook topics the inbox processes, registered with the store.
    var webhookTopics: [String] { get }
    /// What a delivery of `topic` carries.
    func topic(_ topic: String) -> WebhookTopic

    func contact(json: JSONValue) throws -> ContactRecord
    /// The sellable records of a product body. A body whose records need another read (a WooCommerce
    /// variable product's variations, see ``needsVariations(_:)``) gives those it has.
    func productRecords(json: JSONValue) throws -> [ProductRecord]
    /// Whether a product body lacks its sellable records, which only a read of its variations gives.
    func needsVariations(_ product: JSONValue) -> Bool
    func order(json: JSONValue) throws -> OrderRecord
    /// An `inventory_levels/update` body.
    func inventoryLevel(json: JSONValue) throws -> InventoryLevelRecord

    /// The key deliveries of this store are deduplicated by, given a stable `fingerprint` of the
    /// topic and body for deliveries whose id cannot do it.
    func deduplicationKey(envelope: WebhookEnvelope, fingerprint: String) -> String

    /// When this store's orders count as finalized unless the configuration says otherwise, as
    /// `finalize_on` writes it: `paid` (money captured) or a store status.
    var defaultFinalizeOn: String { get }
    /// Whether webhooks are signed with a secret the engine sends when it subscribes (WooCommerce),
    /// rather than one the store holds for the app (Shopify's app secret).
    var subscribesWithSecret: Bool { get }
    /// Whether the API's address carries a version the configuration sets (`api_version`).
    var hasAPIVersion: Bool { get }
    /// Where the merchant gets credentials this API accepts (the variables to export them in follow).
    var credentialsAdvice: String { get }
    /// How the merchant gives the credentials the permissions a pass needs.
    var permissionsAdvice: String { get }
}

/// What a webhook topic's body is, to the engine.
package enum WebhookTopic: Sendable, Hashable {
    /// A customer (created, updated, enabled, restored…).
    case contact
    case contactDeleted
    /// A product with its sellable records (or, WooCommerce variable, without them).
    case product
    case productDeleted
    /// The whole order (created, updated, paid, cancelled, fulfilled, restored).
    case order
    case orderDeleted
    /// An order event whose body is not the order (an edit, a transaction).
    case orderEvent
    /// A stock level at a location.
    case inventoryLevel
    /// A topic OordenSync does not process.
    case unknown
}

extension StoreKind {
    /// How this store's JSON reads (``StoreRecordFormat``).
    package var recordFormat: any StoreRecordFormat {
        switch self {
        case .shopify: ShopifyRecordFormat()
        case .woocommerce: WooCommerceRecordFormat()
        }
    }
}

/// Shopify's webhook and record JSON (the same for the REST and GraphQL Admin APIs: webhooks are JSON).
package struct ShopifyRecordFormat: StoreRecordFormat {
    package init() {}

    package var kind: StoreKind { .shopify }
    package var webhookPlatform: WebhookPlatform { .shopify }
    package var defaultFinalizeOn: String { "paid" }
    package var subscribesWithSecret: Bool { false }
    package var hasAPIVersion: Bool { true }
    package var credentialsAdvice: String {
        // Since 2026-01-01 new apps are made in the Dev Dashboard (expiring tokens by client
        // credentials); a legacy custom app made before then keeps its static token.
        "Copy the app's client id and secret from the Dev Dashboard (the app > Settings), or a legacy custom app's Admin API access token, and export them in"
    }
    package var permissionsAdvice: String {
        "Give the app the scopes read/write_customers, read/write_products, read/write_orders, read/write_inventory and reinstall it."
    }
    package var webhookTopics: [String] {
        ["customers/create", "customers/update", "customers/delete",
         "products/create", "products/update", "products/delete",
         "orders/create", "orders/updated", "orders/paid", "orders/cancelled",
         "inventory_levels/update"]
    }

    package func topic(_ topic: String) -> WebhookTopic {
        switch topic {
        case "customers/create", "customers/update", "customers/enable", "customers/disable": .contact
        case "customers/delete": .contactDeleted
        case "products/create", "products/update": .product
        case "products/delete": .productDeleted
        case "inventory_levels/update": .inventoryLevel
        case "orders/create", "orders/updated", "orders/paid", "orders/cancelled", "orders/fulfilled", "orders/partially_fulfilled": .order
        case "orders/delete": .orderDeleted
        default: topic.hasPrefix("orders/") ? .orderEvent : .unknown
        }
    }

    // A body is REST-shaped (webhooks, REST reads) or, when its id is a global id, a GraphQL node (a
    // record held from a GraphQL read keeps the node as its payload): both read as the same record.
    package func contact(json: JSONValue) throws -> ContactRecord {
        try Self.isGraphQLNode(json) ? ShopifyGraphQLRecords.contact(node: json) : ShopifyAPI.contact(json: json)
    }
    package func productRecords(json: JSONValue) throws -> [ProductRecord] {
        try Self.isGraphQLNode(json) ? ShopifyGraphQLRecords.productRecords(node: json) : ShopifyAPI.productRecords(product: json)
    }
    package func needsVariations(_ product: JSONValue) -> Bool { false }
    package func order(json: JSONValue) throws -> OrderRecord {
        try Self.isGraphQLNode(json) ? ShopifyGraphQLRecords.order(node: json) : ShopifyAPI.order(json: json)
    }

    /// Whether `json` is a GraphQL node (`"id": "gid://shopify/…"`) rather than a REST body (numeric id).
    static func isGraphQLNode(_ json: JSONValue) -> Bool {
        json["id"]?.string?.hasPrefix("gid://shopify/") == true
    }
    package func inventoryLevel(json: JSONValue) throws -> InventoryLevelRecord { try ShopifyAPI.inventoryLevel(json: json) }

    /// Its event id with the topic (`X-Shopify-Event-Id` is the same for every delivery of one event:
    /// retries and several subscriptions to the topic), else its webhook id (the same on retries),
    /// else the body's fingerprint.
    package func deduplicationKey(envelope: WebhookEnvelope, fingerprint: String) -> String {
        if let event = envelope.eventID, let topic = envelope.topic { return "event-\(topic)-\(event)" }
        return envelope.deliveryID ?? "body-" + fingerprint
    }
}

/// WooCommerce's webhook and record JSON.
package struct WooCommerceRecordFormat: StoreRecordFormat {
    package init() {}

    package var kind: StoreKind { .woocommerce }
    package var webhookPlatform: WebhookPlatform { .wooCommerce }
    package var defaultFinalizeOn: String { "completed" }
    package var subscribesWithSecret: Bool { true }
    package var hasAPIVersion: Bool { false }
    package var credentialsAdvice: String {
        "Create a REST API key with Read/Write permission (WooCommerce > Settings > Advanced > REST API) and export it in"
    }
    package var permissionsAdvice: String {
        "Edit the REST API key (WooCommerce > Settings > Advanced > REST API) and give it Read/Write permission, for a user who can manage WooCommerce."
    }
    package var webhookTopics: [String] {
        ["customer.created", "customer.updated", "customer.deleted",
         "product.created", "product.updated", "product.deleted",
         "order.created", "order.updated"]
    }

    package func topic(_ topic: String) -> WebhookTopic {
        switch topic {
        case "customer.created", "customer.updated", "customer.restored": .contact
        case "customer.deleted": .contactDeleted
        case "product.created", "product.updated", "product.restored": .product
        case "product.deleted": .productDeleted
        case "order.created", "order.updated", "order.restored": .order
        case "order.deleted": .orderDeleted
        default: topic.hasPrefix("order.") ? .orderEvent : .unknown
        }
    }

    package func contact(json: JSONValue) throws -> ContactRecord { try WooCommerceAPI.contact(json: json) }
    package func productRecords(json: JSONValue) throws -> [ProductRecord] { try WooCommerceAPI.productRecords(product: json) }
    package func needsVariations(_ product: JSONValue) -> Bool { WooCommerceAPI.isVariable(product) }
    package func order(json: JSONValue) throws -> OrderRecord { try WooCommerceAPI.order(json: json) }

    package func inventoryLevel(json: JSONValue) throws -> InventoryLevelRecord {
        throw RecordDecodingError(code: .wrongType, message: "WooCommerce sends no inventory level webhooks; stock comes with its products")
    }

    /// The body's fingerprint: `X-WC-Webhook-Delivery-ID` is new for every delivery, a second
    /// delivery of the same event included, so it cannot recognise a duplicate.
    package func deduplicationKey(envelope: WebhookEnvelope, fingerprint: String) -> String {
        "wc-" + fingerprint
    }
}
