import Foundation
import SyncCore

/// The outcome of `WC_REST_Authentication` for one request.
enum WooAuthOutcome: Sendable {
    /// No credentials WooCommerce would look at: the request runs as a visitor.
    case anonymous
    case authenticated(WooCommerceEmulatorConfiguration.KeyPermissions)
    case failed(WooCommerceEmulatorError)
}

extension WooCommerceSite {
    static func authError(_ message: String, code: String = "woocommerce_rest_authentication_error") -> WooCommerceEmulatorError {
        WooCommerceEmulatorError(code: code, message: message, status: 401)
    }

    /// Authenticates as WooCommerce does: Basic / query keys over HTTPS (query first), then OAuth 1.0a;
    /// then the key's read/write permission against the method.
    mutating func authenticate(_ request: StoreRequest) -> WooAuthOutcome {
        var outcome: WooAuthOutcome = .anonymous
        if config.assumeHTTPS {
            outcome = basicAuthentication(request)
        }
        if case .anonymous = outcome {
            outcome = oauthAuthentication(request)
        }
        guard case .authenticated(let permissions) = outcome else { return outcome }
        let method = request.method.rawValue
        switch permissions {
        case .read where !["GET", "HEAD", "OPTIONS"].contains(method):
            return .failed(Self.authError("The API key provided does not have write permissions."))
        case .write where !["POST", "PUT", "PATCH", "DELETE"].contains(method):
            return .failed(Self.authError("The API key provided does not have read permissions."))
        default:
            return outcome
        }
    }

    private func basicAuthentication(_ request: StoreRequest) -> WooAuthOutcome {
        var key: String?
        var secret: String?
        if let k = request.queryValue("consumer_key"), let s = request.queryValue("consumer_secret"), !k.isEmpty, !s.isEmpty {
            key = k
            secret = s
        }
        if key == nil, let header = request.headers["Authorization"], header.lowercased().hasPrefix("basic "),
           let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)) {
            let text = String(decoding: decoded, as: UTF8.self)
            if let colon = text.firstIndex(of: ":") {
                let user = String(text[..<colon]), password = String(text[text.index(after: colon)...])
                if !user.isEmpty, !password.isEmpty {
                    key = user
                    secret = password
                }
            }
        }
        guard let key, let secret, key == credentials.consumerKey else { return .anonymous }
        guard WooCommerceSignatures.constantTimeEquals(secret, credentials.consumerSecret) else {
            return .failed(Self.authError("Consumer secret is invalid."))
        }
        return .authenticated(config.keyPermissions)
    }

    private mutating func oauthAuthentication(_ request: StoreRequest) -> WooAuthOutcome {
        var params: [(String, String)] = request.query.map { ($0.name, $0.value) }
        if let header = request.headers["Authorization"], header.hasPrefix("OAuth ") {
            for (name, value) in Self.parseOAuthHeader(String(header.dropFirst(6))) where name.hasPrefix("oauth_") {
                params.removeAll { $0.0 == name }
                params.append((name, value))
            }
        }
        func value(_ name: String) -> String? { params.last { $0.0 == name }?.1 }
        let required = ["oauth_consumer_key", "oauth_timestamp", "oauth_nonce", "oauth_signature", "oauth_signature_method"]
        let missing = required.filter { (value($0) ?? "").isEmpty }
        if missing.count == required.count { return .anonymous }
        if !missing.isEmpty {
            let noun = missing.count == 1 ? "parameter" : "parameters"
            return .failed(Self.authError("Missing OAuth \(noun) \(missing.joined(separator: ", "))", code: "woocommerce_rest_authentication_missing_parameter"))
        }
        guard value("oauth_consumer_key") == credentials.consumerKey else {
            return .failed(Self.authError("Consumer key is invalid."))
        }
        let method = value("oauth_signature_method") ?? ""
        guard method == "HMAC-SHA1" || method == "HMAC-SHA256" else {
            return .failed(Self.authError("Invalid signature - signature method is invalid."))
        }
        let provided = (value("oauth_signature") ?? "").replacingOccurrences(of: " ", with: "+")
        var signed: [(String, String)] = []
        for (name, v) in params where name != "oauth_signature" {
            signed.removeAll { $0.0 == name }
            signed.append((name, v))
        }
        let base = WooCommerceSignatures.oauthBaseString(method: request.method.rawValue, url: config.siteURL + request.path, parameters: signed)
        let expected = WooCommerceSignatures.oauthSignature(baseString: base, consumerSecret: credentials.consumerSecret, method: method) ?? ""
        guard WooCommerceSignatures.constantTimeEquals(expected, provided) else {
            return .failed(Self.authError("Invalid signature - provided signature does not match."))
        }
        let window: Int64 = 15 * 60
        let nowSeconds = now / 1000
        guard let timestamp = Int64(value("oauth_timestamp") ?? ""), timestamp >= nowSeconds - window, timestamp <= nowSeconds + window else {
            return .failed(Self.authError("Invalid timestamp."))
        }
        let nonce = value("oauth_nonce") ?? ""
        var used = nonces[credentials.consumerKey] ?? [:]
        if used.values.contains(nonce) {
            return .failed(Self.authError("Invalid nonce - nonce has already been used."))
        }
        used[timestamp] = nonce
        used = used.filter { $0.key >= nowSeconds - window }
        nonces[credentials.consumerKey] = used
        return .authenticated(config.keyPermissions)
    }

    /// Parses `oauth_consumer_key="ck_…", oauth_nonce="…"` (values rawurldecoded).
    static func parseOAuthHeader(_ text: String) -> [(String, String)] {
        text.split(separator: ",").compactMap { part in
            let pair = part.trimmingCharacters(in: .whitespaces)
            guard let eq = pair.firstIndex(of: "=") else { return nil }
            let name = String(pair[..<eq]).trimmingCharacters(in: .whitespaces)
            var raw = String(pair[pair.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
            if raw.hasPrefix("\""), raw.hasSuffix("\""), raw.count >= 2 { raw = String(raw.dropFirst().dropLast()) }
            return (name, QueryItem.percentDecode(raw, plusIsSpace: false))
        }
    }
}
