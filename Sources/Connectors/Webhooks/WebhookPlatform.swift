/// The store platform a webhook comes from; it decides which headers carry what.
public enum WebhookPlatform: String, Sendable, Hashable, CaseIterable {
    case shopify
    case wooCommerce
}
