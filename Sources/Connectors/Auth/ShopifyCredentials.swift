import Foundation
import SyncCore

/// How OordenSync authenticates to a Shopify store.
///
/// A legacy custom app gives a static Admin API access token (`X-Shopify-Access-Token`); an older
/// private app gives an API key and password (HTTP Basic). A Dev Dashboard app's tokens expire: they
/// come from a ``ShopifyAccessTokenProvider`` (``ShopifyClientCredentialsGrant``, or the embedding
/// host's own OAuth), asked by ``StoreClient`` before each request. Printing a value never shows the
/// secrets.
///
/// ```swift
/// let credentials = ShopifyCredentials.accessToken(environment["SHOPIFY_TOKEN"]!)
/// let signed = credentials.authorize(request)
/// ```
public enum ShopifyCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// An Admin API access token (a private app's password also works here).
    case accessToken(String)
    /// A legacy private app's API key and password, sent as HTTP Basic.
    case privateApp(apiKey: String, password: String)
    /// Expiring tokens from a provider; providers are compared by identity.
    case tokenProvider(any ShopifyAccessTokenProvider)

    /// `request` with the authentication header set (any earlier one replaced).
    ///
    /// A ``tokenProvider(_:)`` is resolved to a token first (``StoreClient`` does so before every
    /// request); asked to sign with the provider itself, this sends no token.
    public func authorize(_ request: StoreRequest) -> StoreRequest {
        var r = request
        switch self {
        case .tokenProvider:
            r.headers["Authorization"] = nil
            r.headers["X-Shopify-Access-Token"] = nil
        case .accessToken(let token):
            r.headers["Authorization"] = nil
            r.headers["X-Shopify-Access-Token"] = token
        case .privateApp(let apiKey, let password):
            r.headers["X-Shopify-Access-Token"] = nil
            r.headers["Authorization"] = BasicAuth.header(user: apiKey, password: password)
        }
        return r
    }

    public var description: String {
        switch self {
        case .accessToken: return "ShopifyCredentials.accessToken(<redacted>)"
        case .privateApp: return "ShopifyCredentials.privateApp(<redacted>)"
        case .tokenProvider: return "ShopifyCredentials.tokenProvider(<redacted>)"
        }
    }

    public static func == (lhs: ShopifyCredentials, rhs: ShopifyCredentials) -> Bool {
        switch (lhs, rhs) {
        case (.accessToken(let a), .accessToken(let b)): a == b
        case (.privateApp(let k1, let p1), .privateApp(let k2, let p2)): k1 == k2 && p1 == p2
        case (.tokenProvider(let a), .tokenProvider(let b)): a === b
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .accessToken(let token): hasher.combine(0); hasher.combine(token)
        case .privateApp(let key, let password): hasher.combine(1); hasher.combine(key); hasher.combine(password)
        case .tokenProvider(let provider): hasher.combine(2); hasher.combine(ObjectIdentifier(provider))
        }
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

/// HTTP Basic `Authorization` header values.
enum BasicAuth {
    static func header(user: String, password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }
}
