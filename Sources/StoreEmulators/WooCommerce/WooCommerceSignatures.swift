import Crypto
import Foundation
import SyncCore

/// The two signatures WooCommerce computes: OAuth 1.0a request signatures and webhook signatures.
public enum WooCommerceSignatures {
    /// The OAuth 1.0a signature base string WooCommerce checks:
    /// `METHOD&rawurlencode(url)&rawurlencode(k1=v1&k2=v2…)`, with keys and values rawurlencoded and
    /// the pairs sorted by key (`strcmp`) then value. `parameters` excludes `oauth_signature`.
    public static func oauthBaseString(method: String, url: String, parameters: [(String, String)]) -> String {
        let encoded = parameters
            .map { (QueryItem.percentEncode($0.0), QueryItem.percentEncode($0.1)) }
            .sorted { a, b in
                let ka = Array(a.0.utf8), kb = Array(b.0.utf8)
                if ka != kb { return ka.lexicographicallyPrecedes(kb) }
                return Array(a.1.utf8).lexicographicallyPrecedes(Array(b.1.utf8))
            }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
        return method.uppercased() + "&" + QueryItem.percentEncode(url) + "&" + QueryItem.percentEncode(encoded)
    }

    /// base64(HMAC(key: `consumerSecret&`, message: base string)) with SHA-1 or SHA-256.
    /// Returns `nil` for a method other than `HMAC-SHA1` / `HMAC-SHA256`.
    public static func oauthSignature(baseString: String, consumerSecret: String, method: String) -> String? {
        let key = SymmetricKey(data: Data((consumerSecret + "&").utf8))
        let message = Data(baseString.utf8)
        switch method {
        case "HMAC-SHA1":
            return Data(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key)).base64EncodedString()
        case "HMAC-SHA256":
            return Data(HMAC<SHA256>.authenticationCode(for: message, using: key)).base64EncodedString()
        default:
            return nil
        }
    }

    /// `X-WC-Webhook-Signature`: base64(HMAC-SHA256(key: secret, message: raw body)).
    public static func webhookSignature(body: Data, secret: String) -> String {
        let key = SymmetricKey(data: Data(secret.utf8))
        return Data(HMAC<SHA256>.authenticationCode(for: body, using: key)).base64EncodedString()
    }

    /// Compares two strings in time independent of where they differ (PHP `hash_equals`).
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
