/// Why a webhook delivery was refused. The receiver answers 401 (signature), 400 (headers) or 403
/// (another store's delivery) and keeps nothing.
///
/// Messages never contain the secret or the expected signature.
public struct WebhookError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// No signature header (and, for WooCommerce, not a ping).
        case missingSignature
        /// The signature header is not base64 of a SHA-256 HMAC.
        case malformedSignature
        /// The signature does not match the body and the secret.
        case invalidSignature
        /// A required delivery header (the topic) is absent.
        case missingHeader
        /// No `X-Shopify-Shop-Domain` / `X-WC-Webhook-Source`: the delivery does not say which store it is from.
        case missingSource
        /// The delivery names another store than the one its address is for (``WebhookSource``).
        case wrongSource
    }

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The HTTP status a receiver should answer with.
    public var httpStatus: Int {
        switch code {
        case .missingSignature, .malformedSignature, .invalidSignature: return 401
        case .missingHeader, .missingSource: return 400
        case .wrongSource: return 403
        }
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
