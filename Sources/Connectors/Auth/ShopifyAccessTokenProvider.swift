import SyncCore

/// Hands the Shopify client a current Admin API access token.
///
/// A Dev Dashboard app's tokens expire (24 hours for the client-credentials grant, about one hour for
/// a public app's expiring offline tokens), so a long-running sync cannot hold one token. The client
/// asks the provider before every request and tells it when Shopify answered 401 to a token, after
/// which it asks once more and retries that request once.
///
/// OordenSync's own provider is ``ShopifyClientCredentialsGrant``. An embedding host that does OAuth
/// itself (Oorden's public app, with rotating refresh tokens it must store durably before use)
/// conforms its own type and passes it as ``ShopifyCredentials/tokenProvider(_:)``:
///
/// ```swift
/// final class OordenAppTokens: ShopifyAccessTokenProvider {
///     func accessToken() async throws -> String { try await sessions.currentOfflineToken(shop: shop) }
///     func tokenRejected(_ token: String) async { await sessions.markExpired(token, shop: shop) }
/// }
/// let client = StoreClient.shopify(origin: url, credentials: .tokenProvider(OordenAppTokens()), clock: clock, seed: 1, logger: logger)
/// ```
///
/// A provider is a reference type: the client compares providers by identity, and one provider may
/// serve every client of one shop so that they share one token and one refresh.
public protocol ShopifyAccessTokenProvider: AnyObject, Sendable {
    /// A token that is valid now. Throws a ``StoreAPIError`` that says what to fix when none can be had.
    func accessToken() async throws -> String

    /// Shopify refused `token` (HTTP 401): the next ``accessToken()`` must not return it again.
    func tokenRejected(_ token: String) async
}
