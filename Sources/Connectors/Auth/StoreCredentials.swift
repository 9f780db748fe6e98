import SyncCore

/// The credentials of one store link, whichever platform it is.
public enum StoreCredentials: Sendable, Hashable, CustomStringConvertible {
    case shopify(ShopifyCredentials)
    case wooCommerce(WooCommerceCredentials)
    /// No authentication (tests of unauthenticated routes).
    case none

    /// `request` with authentication added; see ``WooCommerceCredentials/authorize(_:siteURL:nowMilliseconds:random:)``.
    public func authorize(_ request: StoreRequest, siteURL: String, nowMilliseconds: Int64, random: inout SeededRandom) -> StoreRequest {
        switch self {
        case .shopify(let c): return c.authorize(request)
        case .wooCommerce(let c): return c.authorize(request, siteURL: siteURL, nowMilliseconds: nowMilliseconds, random: &random)
        case .none: return request
        }
    }

    public var description: String {
        switch self {
        case .shopify(let c): return c.description
        case .wooCommerce(let c): return c.description
        case .none: return "StoreCredentials.none"
        }
    }
}
