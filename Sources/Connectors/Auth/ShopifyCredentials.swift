import Foundation
import SyncCore

/// How OordenSync authenticates to a Shopify store.
///
/// A custom app gives an Admin API access token (`X-Shopify-Access-Token`); a legacy private app gives an
/// API key and password (HTTP Basic). Printing a value never shows the secrets.
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

    /// `request` with the authentication header set (any earlier one replaced).
    public func authorize(_ request: StoreRequest) -> StoreRequest {
        var r = request
        switch self {
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
