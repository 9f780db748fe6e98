import Foundation
import SyncCore

/// The client-credentials grant of a Dev Dashboard app: `POST /admin/oauth/access_token`.
///
/// The body is form-encoded (`grant_type=client_credentials&client_id=…&client_secret=…`, as
/// shopify.dev shows it) or JSON (as Shopify's own Node library sends it). The answer is
/// `{access_token, scope, expires_in}`; the token is valid for ``ShopifyEmulatorConfiguration/tokenLifetimeSeconds``
/// on the emulator's clock, after which the Admin API answers 401 to it. A wrong client id or secret
/// is an OAuth error (`invalid_client`, HTTP 400), an unknown grant type `unsupported_grant_type`.
extension ShopifyShop {
    static let tokenPath = "/admin/oauth/access_token"
    /// The scopes the emulated app was granted.
    static let grantedScopes = "read_customers,write_customers,read_products,write_products,read_inventory,write_inventory,"
        + "read_orders,write_orders,read_locations,read_fulfillments,write_fulfillments,read_metafields,write_metafields"

    mutating func grantToken(_ request: StoreRequest) -> StoreResponse {
        guard request.method == .post else { return .json(405, ["errors": "Method Not Allowed"]) }
        let form = Self.grantParameters(request)
        guard form["grant_type"] == "client_credentials" else {
            return .json(400, ["error": "unsupported_grant_type",
                               "error_description": .string("grant_type must be client_credentials, not \(form["grant_type"] ?? "missing")")])
        }
        guard form["client_id"] == credentials.clientID, form["client_secret"] == credentials.clientSecret else {
            return .json(400, ["error": "invalid_client", "error_description": "Client authentication failed: unknown client or wrong client secret."])
        }
        let token = "shpat_" + randomTokenHex()
        issuedTokens[token] = nowPrecise + configuration.tokenLifetimeSeconds * 1000
        return .json(200, ["access_token": .string(token), "scope": .string(Self.grantedScopes),
                           "expires_in": .integer(Int(configuration.tokenLifetimeSeconds))])
    }

    /// Whether `token` was issued by the grant and has not expired yet.
    func isLiveIssuedToken(_ token: String) -> Bool {
        issuedTokens[token].map { nowPrecise < $0 } ?? false
    }

    /// How many tokens the grant has issued.
    var tokensIssued: Int { issuedTokens.count }

    private mutating func randomTokenHex() -> String {
        var s = ""
        while s.count < 32 {
            let word = String(tokenRandom.next(), radix: 16)
            s += String(repeating: "0", count: 16 - word.count) + word
        }
        return String(s.prefix(32))
    }

    static func grantParameters(_ request: StoreRequest) -> [String: String] {
        if request.headers["Content-Type"]?.lowercased().hasPrefix("application/json") == true {
            guard let object = try? JSONValue.parse(request.body).object else { return [:] }
            return object.compactMapValues(\.string)
        }
        var out: [String: String] = [:]
        for pair in String(decoding: request.body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0) }
            if let name = parts.first { out[name] = parts.count > 1 ? parts[1] : "" }
        }
        return out
    }
}
