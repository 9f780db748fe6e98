import Foundation

/// The store a delivery must say it comes from: Shopify's `X-Shopify-Shop-Domain`, WooCommerce's
/// `X-WC-Webhook-Source`.
///
/// A valid signature proves only that the sender knows the secret. One Shopify app (one client secret)
/// is installed on many shops, so a delivery for shop B, posted to the address of store A, verifies;
/// without this check it would be applied to A's link. The header is compared with what the daemon
/// was configured with, after normalising both sides the same way (case of scheme and host, default
/// ports, trailing `/`).
///
/// ```swift
/// let source = WebhookSource.shopify(shopDomain: "mi-tienda.myshopify.com")
/// try source.check(envelope)   // WebhookError .missingSource (400) or .wrongSource (403)
/// ```
public struct WebhookSource: Sendable, Hashable, CustomStringConvertible {
    public let platform: WebhookPlatform
    /// The normalised value the header must have: a lower-case host for Shopify, an origin with the
    /// site path and no trailing `/` for WooCommerce.
    public let expected: String

    /// Shopify: the shop's permanent `*.myshopify.com` domain, as Shopify sends it in `X-Shopify-Shop-Domain`.
    public static func shopify(shopDomain: String) -> WebhookSource {
        WebhookSource(platform: .shopify, expected: normalizedDomain(shopDomain))
    }

    /// WooCommerce: the site's URL (`https://tienda.mx`, or `https://ejemplo.mx/tienda` for WordPress in
    /// a folder). WooCommerce sends `home_url('/')`, the same address its REST API is under.
    public static func wooCommerce(siteURL: String) -> WebhookSource {
        WebhookSource(platform: .wooCommerce, expected: normalizedSiteURL(siteURL))
    }

    /// The name of the header that carries the source.
    public var headerName: String {
        platform == .shopify ? "X-Shopify-Shop-Domain" : "X-WC-Webhook-Source"
    }

    public var description: String { "\(headerName): \(expected)" }

    /// Throws unless `envelope` names this store. A WooCommerce ping carries no source and is not
    /// checked: it is answered and never stored.
    public func check(_ envelope: WebhookEnvelope) throws {
        if envelope.isPing { return }
        guard let sent = envelope.source else {
            throw WebhookError(code: .missingSource,
                               message: "the delivery has no \(headerName) header, so it cannot be told apart from another store's; it is refused")
        }
        let received = platform == .shopify ? Self.normalizedDomain(sent) : Self.normalizedSiteURL(sent)
        guard received == expected else {
            throw WebhookError(code: .wrongSource,
                               message: "\(headerName) is \(sent) but this address is for \(expected); check the store the webhook was registered in, or the store's url (and shop_domain) in the configuration")
        }
    }

    /// `Mi-Tienda.myshopify.com.` → `mi-tienda.myshopify.com`.
    static func normalizedDomain(_ text: String) -> String {
        var host = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let scheme = host.range(of: "://") { host = String(host[scheme.upperBound...]) }
        while host.hasSuffix("/") || host.hasSuffix(".") { host.removeLast() }
        return host
    }

    /// `HTTPS://Tienda.MX:443/` → `https://tienda.mx`; a site path keeps its case.
    static func normalizedSiteURL(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let parts = URLComponents(string: trimmed), let scheme = parts.scheme?.lowercased(), let host = parts.host?.lowercased() else {
            var plain = trimmed
            while plain.hasSuffix("/") { plain.removeLast() }
            return plain
        }
        var origin = scheme + "://" + host
        if let port = parts.port, !(scheme == "https" && port == 443) && !(scheme == "http" && port == 80) {
            origin += ":\(port)"
        }
        var path = parts.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        return origin + path
    }
}
