/// A webhook registered at a store (Shopify `webhooks.json`, WooCommerce `/webhooks`).
public struct WebhookSubscription: Sendable, Hashable {
    public var id: String
    /// Shopify `orders/create`, WooCommerce `order.created`.
    public var topic: String
    /// The delivery URL.
    public var address: String
    /// WooCommerce `active` / `paused` / `disabled`; `nil` for Shopify (always active).
    public var status: String?

    public init(id: String, topic: String, address: String, status: String? = nil) {
        self.id = id
        self.topic = topic
        self.address = address
        self.status = status
    }
}
