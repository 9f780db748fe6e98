import Foundation
import SyncCore

/// How OordenSync authenticates to a WooCommerce store with a REST API key.
///
/// WooCommerce accepts, over HTTPS, HTTP Basic (``Mode/basic``) or the key in the query string
/// (``Mode/queryString``, for servers that strip `Authorization`); over plain HTTP only OAuth 1.0a
/// one-legged signatures (``Mode/oauth1(_:)``). Printing a value never shows the secret.
///
/// ```swift
/// let credentials = WooCommerceCredentials(consumerKey: "ck_…", consumerSecret: "cs_…", mode: .oauth1())
/// ```
public struct WooCommerceCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// How the key is presented.
    public enum Mode: Sendable, Hashable {
        /// HTTP Basic with the consumer key and secret (HTTPS only).
        case basic
        /// `consumer_key` and `consumer_secret` in the query string (HTTPS only).
        case queryString
        /// OAuth 1.0a one-legged, parameters in the query string (plain HTTP).
        case oauth1(OAuth1SignatureMethod = .hmacSHA256)
    }

    public var consumerKey: String
    public var consumerSecret: String
    public var mode: Mode

    public init(consumerKey: String, consumerSecret: String, mode: Mode = .basic) {
        self.consumerKey = consumerKey
        self.consumerSecret = consumerSecret
        self.mode = mode
    }

    /// The mode WooCommerce expects for `siteURL`: Basic over `https`, OAuth 1.0a (HMAC-SHA256) otherwise.
    public static func defaultMode(forSiteURL siteURL: String) -> Mode {
        siteURL.lowercased().hasPrefix("https://") ? .basic : .oauth1(.hmacSHA256)
    }

    /// `request` with authentication added.
    ///
    /// For OAuth, `siteURL` is the origin the store sees (`"http://127.0.0.1:8082"`), and
    /// `nowMilliseconds` and `random` supply the timestamp and nonce, so a seed replays exactly.
    /// Earlier auth parameters in the query are replaced, so a retried request is signed afresh.
    public func authorize(_ request: StoreRequest, siteURL: String, nowMilliseconds: Int64, random: inout SeededRandom) -> StoreRequest {
        var r = request
        r.query.removeAll { $0.name == "consumer_key" || $0.name == "consumer_secret" || $0.name.hasPrefix("oauth_") }
        switch mode {
        case .basic:
            r.headers["Authorization"] = BasicAuth.header(user: consumerKey, password: consumerSecret)
        case .queryString:
            r.headers["Authorization"] = nil
            r.query.append(QueryItem("consumer_key", consumerKey))
            r.query.append(QueryItem("consumer_secret", consumerSecret))
        case .oauth1(let method):
            r.headers["Authorization"] = nil
            let signer = OAuth1Signer(consumerKey: consumerKey, consumerSecret: consumerSecret, method: method)
            let timestamp = String(Self.floorDiv(nowMilliseconds, 1000))
            let nonce = OAuth1Signer.nonce(using: &random)
            r = signer.sign(r, siteURL: siteURL, timestamp: timestamp, nonce: nonce)
        }
        return r
    }

    public var description: String {
        let modeText: String
        switch mode {
        case .basic: modeText = "basic"
        case .queryString: modeText = "queryString"
        case .oauth1(let m): modeText = "oauth1(\(m.rawValue))"
        }
        return "WooCommerceCredentials(consumerKey: <redacted>, consumerSecret: <redacted>, mode: \(modeText))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror { Mirror(self, children: [:]) }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }
}
