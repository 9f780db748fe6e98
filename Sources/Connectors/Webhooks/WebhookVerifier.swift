import Crypto
import Foundation
import SyncCore

/// Verifies webhook deliveries: base64 HMAC-SHA256 of the raw body with the shared secret.
///
/// The comparison is over the decoded signature bytes, in constant time, against the HMAC of the exact
/// bytes received — never over re-serialized JSON. A WooCommerce ping (unsigned `webhook_id=N`) is
/// accepted as a ping; anything else unsigned or mis-signed throws ``WebhookError``.
///
/// ```swift
/// let verifier = WebhookVerifier(platform: .shopify, secret: appSecret)
/// let envelope = try verifier.verify(headers: request.headers, body: request.body)
/// if !envelope.isPing { inbox.store(envelope.deliveryID, body) }
/// ```
public struct WebhookVerifier: Sendable, CustomStringConvertible {
    public let platform: WebhookPlatform
    private let secret: Data
    private var key: SymmetricKey { SymmetricKey(data: secret) }

    /// `secret` is the Shopify app's client secret or the WooCommerce webhook's secret.
    public init(platform: WebhookPlatform, secret: String) {
        self.platform = platform
        self.secret = Data(secret.utf8)
    }

    /// Checks the signature and parses the headers; returns the envelope or throws ``WebhookError``.
    public func verify(headers: HeaderFields, body: Data) throws -> WebhookEnvelope {
        let envelope: WebhookEnvelope
        do {
            envelope = try WebhookEnvelope.parse(platform: platform, headers: headers, body: body)
        } catch let error as WebhookError {
            // A delivery without a topic and without a signature is an unsigned delivery first of all.
            let signatureHeader = platform == .shopify
                ? (headers["X-Shopify-Hmac-Sha256"] ?? headers["Shopify-Hmac-Sha256"]) : headers["X-WC-Webhook-Signature"]
            if signatureHeader == nil { throw missingSignature() }
            throw error
        }
        if envelope.isPing { return envelope }
        guard let signature = envelope.signature else { throw missingSignature() }
        try check(signature: signature, body: body)
        return envelope
    }

    /// Whether `signature` (base64) is the HMAC of `body`.
    public func isValid(signature: String, body: Data) -> Bool {
        (try? check(signature: signature, body: body)) != nil
    }

    /// The base64 signature of `body`, as the store computes it (for emulators and tests).
    public func sign(_ body: Data) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: body, using: key)).base64EncodedString()
    }

    public var description: String { "WebhookVerifier(\(platform.rawValue), secret: <redacted>)" }

    private func check(signature: String, body: Data) throws {
        guard let provided = Data(base64Encoded: signature.trimmingCharacters(in: .whitespaces)), provided.count == SHA256.byteCount else {
            throw WebhookError(code: .malformedSignature, message: "the \(headerName) header is not a base64 HMAC-SHA256; refuse the delivery")
        }
        let expected = Data(HMAC<SHA256>.authenticationCode(for: body, using: key))
        guard Self.constantTimeEqual(provided, expected) else {
            throw WebhookError(code: .invalidSignature, message: "the \(headerName) signature does not match the body; check the webhook secret, or the body was altered")
        }
    }

    private func missingSignature() -> WebhookError {
        WebhookError(code: .missingSignature, message: "the delivery has no \(headerName) header; only signed deliveries are accepted")
    }

    private var headerName: String {
        platform == .shopify ? "X-Shopify-Hmac-Sha256" : "X-WC-Webhook-Signature"
    }

    /// Compares two byte strings in time that depends only on their lengths.
    static func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for (x, y) in zip(a, b) { diff |= x ^ y }
        return diff == 0
    }
}
