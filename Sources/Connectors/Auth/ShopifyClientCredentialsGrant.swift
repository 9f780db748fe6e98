import Foundation
import SyncCore

/// Admin API tokens for a Dev Dashboard app by the client-credentials grant, kept in memory only.
///
/// `POST /admin/oauth/access_token` with `grant_type=client_credentials`, the app's client id and
/// secret answers `{access_token, scope, expires_in}`; the token expires after about 24 hours
/// (https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/client-credentials-grant).
/// The grant fetches a token on first use and again ``refreshMargin(lifetimeMilliseconds:)`` before
/// it runs out, or after Shopify refused it (``tokenRejected(_:)``). However many requests wait for
/// a token, one grant request is in flight at a time: the others wait for its answer.
///
/// The token is never written anywhere, printed or logged; ``description`` redacts it, and the
/// secret is only ever put in the grant request's body.
///
/// ```swift
/// let grant = ShopifyClientCredentialsGrant(
///     transport: URLSessionTransport(origin: "https://tienda.myshopify.com", logger: logger),
///     clientID: env["SHOPIFY_CLIENT_ID"]!, clientSecret: env["SHOPIFY_CLIENT_SECRET"]!,
///     variables: .init(clientID: "SHOPIFY_CLIENT_ID", clientSecret: "SHOPIFY_CLIENT_SECRET"), clock: clock)
/// let client = StoreClient.shopify(origin: url, credentials: .tokenProvider(grant), clock: clock, seed: 1, logger: logger)
/// ```
public actor ShopifyClientCredentialsGrant: ShopifyAccessTokenProvider, CustomStringConvertible {
    /// The environment variables the client id and secret came from, named in error messages so the
    /// merchant knows which one to fix.
    public struct Variables: Sendable, Hashable {
        public var clientID: String
        public var clientSecret: String

        public init(clientID: String, clientSecret: String) {
            self.clientID = clientID
            self.clientSecret = clientSecret
        }
    }

    /// The grant's path on the shop's origin.
    public static let path = "/admin/oauth/access_token"

    private let transport: any StoreTransport
    private let clientID: String
    private let clientSecret: String
    private let variables: Variables
    private let clock: any WallClock
    private var token: (value: String, refreshAt: Int64?)?
    /// Non-nil while a grant request is in flight: the callers waiting for its token.
    private var waiters: [CheckedContinuation<String, any Error>]?
    /// How many grant requests this provider has sent.
    public private(set) var grantsRequested = 0
    /// The scopes the last token was granted (Shopify's comma-separated `scope`).
    public private(set) var grantedScopes: [String] = []

    /// - Parameter transport: reaches the shop's origin; not a ``StoreClient`` (that one asks this
    ///   provider for its token).
    public init(transport: any StoreTransport, clientID: String, clientSecret: String, variables: Variables, clock: any WallClock) {
        self.transport = transport
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.variables = variables
        self.clock = clock
    }

    public nonisolated var description: String { "ShopifyClientCredentialsGrant(<redacted>)" }

    public func accessToken() async throws -> String {
        if let token, token.refreshAt.map({ clock.nowMilliseconds() < $0 }) ?? true { return token.value }
        if waiters != nil {
            return try await withCheckedThrowingContinuation { waiters?.append($0) }
        }
        waiters = []
        let result: Result<String, any Error>
        do {
            result = .success(try await requestToken())
        } catch {
            result = .failure(error)
        }
        let waiting = waiters ?? []
        waiters = nil
        for waiter in waiting { waiter.resume(with: result) }
        return try result.get()
    }

    public func tokenRejected(_ rejected: String) async {
        if token?.value == rejected { token = nil }
    }

    /// How long before a token's expiry it is replaced: a tenth of its lifetime, at most five
    /// minutes — early enough that a request started just before never carries an expired token.
    public static func refreshMargin(lifetimeMilliseconds: Int64) -> Int64 {
        min(300_000, lifetimeMilliseconds / 10)
    }

    private func requestToken() async throws -> String {
        grantsRequested += 1
        var request = StoreRequest(method: .post, path: Self.path, body: Data(formBody.utf8))
        request.headers["Content-Type"] = "application/x-www-form-urlencoded"
        request.headers["Accept"] = "application/json"
        let sentAt = clock.nowMilliseconds()
        let response = try await transport.send(request)
        guard response.isSuccess else { throw refusal(response) }
        guard let object = try? JSONValue.parse(response.body).object, let value = object["access_token"]?.string, !value.isEmpty else {
            throw StoreAPIError(code: .malformedResponse, status: response.status, method: .post, path: Self.path,
                                message: "Shopify's token answer has no access_token; check that \(variables.clientID) holds a Dev Dashboard app's client id")
        }
        grantedScopes = object["scope"]?.string.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        // Measured from when the request was sent, so a slow answer never makes the token look younger.
        let refreshAt = object["expires_in"]?.int.map { Int64($0) }.map { seconds in
            sentAt + seconds * 1000 - Self.refreshMargin(lifetimeMilliseconds: seconds * 1000)
        }
        token = (value, refreshAt)
        return value
    }

    private var formBody: String {
        [("grant_type", "client_credentials"), ("client_id", clientID), ("client_secret", clientSecret)]
            .map { "\($0.0)=\(Self.formEncoded($0.1))" }.joined(separator: "&")
    }

    static func formEncoded(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// The grant's refusal in words: which variable to fix. Shopify answers an unknown client id or a
    /// wrong secret with HTTP 400/401 and an OAuth `error` code.
    private func refusal(_ response: StoreResponse) -> StoreAPIError {
        var error = StoreAPIError.from(response: response, method: .post, path: Self.path, nowMilliseconds: clock.nowMilliseconds())
        let body = try? JSONValue.parse(response.body).object
        let code = body?["error"]?.string
        let said = [code, body?["error_description"]?.string].compactMap { $0 }.joined(separator: ": ")
        switch (response.status, code) {
        case (400, _), (401, _), (403, _):
            error.code = .unauthorized
            error.message = "Shopify refused the app's client credentials\(said.isEmpty ? "" : " (\(said))"): check the client secret in "
                + "\(variables.clientSecret) and the client id in \(variables.clientID) (Dev Dashboard → the app → Settings), "
                + "and that the app is installed on this store"
        default:
            error.message = "the token request failed: \(error.message)"
        }
        return error
    }
}
