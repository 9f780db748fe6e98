import Crypto
import Foundation
import SyncCore

/// The HMAC used for a WooCommerce OAuth 1.0a signature.
public enum OAuth1SignatureMethod: String, Sendable, Hashable, CaseIterable {
    case hmacSHA256 = "HMAC-SHA256"
    case hmacSHA1 = "HMAC-SHA1"
}

/// OAuth 1.0a one-legged request signing, as WooCommerce verifies it over plain HTTP.
///
/// Base string: `METHOD & rawurlencode(siteURL + path) & rawurlencode(k1=v1&k2=v2…)`, where the pairs are
/// every query parameter plus the `oauth_*` ones (not `oauth_signature`), keys and values rawurlencoded
/// (RFC 3986), sorted by key then value in byte (`strcmp`) order. Key: `consumer_secret + "&"`.
/// No `oauth_version`; the body is not signed. The parameters go in the query string.
public struct OAuth1Signer: Sendable {
    public var consumerKey: String
    public var consumerSecret: String
    public var method: OAuth1SignatureMethod

    public init(consumerKey: String, consumerSecret: String, method: OAuth1SignatureMethod = .hmacSHA256) {
        self.consumerKey = consumerKey
        self.consumerSecret = consumerSecret
        self.method = method
    }

    /// `request` with `oauth_consumer_key`, `oauth_timestamp`, `oauth_nonce`, `oauth_signature_method` and
    /// `oauth_signature` appended to its query.
    public func sign(_ request: StoreRequest, siteURL: String, timestamp: String, nonce: String) -> StoreRequest {
        var r = request
        r.query.append(QueryItem("oauth_consumer_key", consumerKey))
        r.query.append(QueryItem("oauth_timestamp", timestamp))
        r.query.append(QueryItem("oauth_nonce", nonce))
        r.query.append(QueryItem("oauth_signature_method", method.rawValue))
        let signature = Self.signature(
            method: r.method.rawValue, url: Self.normalizedURL(siteURL: siteURL, path: r.path),
            parameters: r.query, consumerSecret: consumerSecret, signatureMethod: method)
        r.query.append(QueryItem("oauth_signature", signature))
        return r
    }

    /// The signature base string for `method`, `url` (no query) and `parameters` (without `oauth_signature`).
    public static func baseString(method: String, url: String, parameters: [QueryItem]) -> String {
        let encoded = parameters
            .filter { $0.name != "oauth_signature" }
            .map { (QueryItem.percentEncode($0.name), QueryItem.percentEncode($0.value)) }
            .sorted { a, b in
                a.0 == b.0 ? Array(a.1.utf8).lexicographicallyPrecedes(Array(b.1.utf8))
                    : Array(a.0.utf8).lexicographicallyPrecedes(Array(b.0.utf8))
            }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
        return method.uppercased() + "&" + QueryItem.percentEncode(url) + "&" + QueryItem.percentEncode(encoded)
    }

    /// The base64 HMAC of the base string with key `consumerSecret + "&"`.
    public static func signature(method: String, url: String, parameters: [QueryItem], consumerSecret: String, signatureMethod: OAuth1SignatureMethod) -> String {
        let base = Data(baseString(method: method, url: url, parameters: parameters).utf8)
        let key = SymmetricKey(data: Data((consumerSecret + "&").utf8))
        switch signatureMethod {
        case .hmacSHA256:
            return Data(HMAC<SHA256>.authenticationCode(for: base, using: key)).base64EncodedString()
        case .hmacSHA1:
            return Data(HMAC<Insecure.SHA1>.authenticationCode(for: base, using: key)).base64EncodedString()
        }
    }

    /// `siteURL` without a trailing slash, followed by `path`.
    public static func normalizedURL(siteURL: String, path: String) -> String {
        var s = siteURL
        while s.hasSuffix("/") { s.removeLast() }
        return s + (path.hasPrefix("/") ? path : "/" + path)
    }

    /// A 32-character hexadecimal nonce drawn from `random`.
    public static func nonce(using random: inout SeededRandom) -> String {
        let a = random.next(), b = random.next()
        return hex(a) + hex(b)
    }

    private static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
