import SyncCore

/// How a ``ShopifyEmulator`` shop is set up: its identity, money, taxes, clock and rate limit.
///
/// Defaults describe a Mexico City shop selling in MXN with prices that include 16 % IVA, on API
/// version 2024-10, with Shopify's standard REST bucket (40 calls, leaking 2 per second).
public struct ShopifyEmulatorConfiguration: Sendable, Hashable {
    /// The shop's permanent domain, sent in `X-Shopify-Shop-Domain` and `shop.json`.
    public var shopDomain = "oorden-demo.myshopify.com"
    /// The shop's display name.
    public var shopName = "Oorden Demo MX"
    /// The shop owner's e-mail.
    public var shopEmail = "tienda@oorden-demo.mx"
    /// The shop currency (ISO 4217).
    public var currency = "MXN"
    /// Extra presentment currencies besides ``currency``.
    public var extraPresentmentCurrencies: [String] = []
    /// Whether product prices include tax (`shop.taxes_included`).
    public var taxesIncluded = true
    /// The shop's UTC offset in minutes; timestamps are written with it (`-06:00`).
    public var timezoneOffsetMinutes = -360
    /// The IANA zone name reported in `shop.json`.
    public var ianaTimezone = "America/Mexico_City"
    /// The API version written in webhook headers and links; any `YYYY-MM` version is answered.
    public var apiVersion = "2024-10"
    /// Whether the leaky-bucket rate limit applies.
    public var rateLimitEnabled = true
    /// Bucket size (calls).
    public var bucketSize = 40
    /// Calls leaked per second.
    public var leakPerSecond = 2
    /// Whether the GraphQL Admin API's cost-based leaky bucket applies (like ``rateLimitEnabled``).
    public var graphQLRateLimitEnabled = true
    /// The GraphQL bucket's size in cost points (`throttleStatus.maximumAvailable`).
    public var graphQLMaximumAvailable = 2_000
    /// Points restored per second: Shopify's plans give 100 (Standard), 200 (Advanced),
    /// 1,000 (Plus) and 2,000 (Enterprise); see ``ShopifyGraphQLPlan``.
    public var graphQLRestoreRate = 100
    /// The access scopes `currentAppInstallation { accessScopes }` reports.
    public var grantedAccessScopes = ["read_customers", "write_customers", "read_products", "write_products", "read_inventory",
                                      "write_inventory", "read_orders", "write_orders", "read_locations"]
    /// The tax rate applied to taxable lines when an order carries no tax lines (0.16 = 16 %).
    public var defaultTaxRate: ExactDecimal = ExactDecimal(16).divided(by: ExactDecimal(100), scale: 2) ?? .zero
    /// The title of tax lines computed from ``defaultTaxRate``.
    public var defaultTaxTitle = "IVA"
    /// The id of the shop's only (primary) location.
    public var primaryLocationID = 68_000_000_001
    /// The first id handed out; ids increase from here, like Shopify's large integer ids.
    public var firstID = 7_000_000_000_000
    /// The first order number (`#1001`).
    public var firstOrderNumber = 1001
    /// Overrides of the credentials derived from the seed; `nil` keeps the derived value.
    public var accessToken: String? = nil
    public var apiKey: String? = nil
    public var password: String? = nil
    public var webhookSecret: String? = nil
    /// The Dev Dashboard app's client id and secret for the client-credentials grant (`nil`: generated
    /// from the seed, like the other credentials).
    public var clientID: String? = nil
    public var clientSecret: String? = nil
    /// How long a token of the client-credentials grant lives (Shopify: about 24 hours).
    public var tokenLifetimeSeconds: Int64 = 86_399
    /// Status reads (`bulkOperation(id:)`, `currentBulkOperation`) a bulk operation takes to
    /// complete: `CREATED`, then `RUNNING` until this many reads have seen it.
    public var bulkStatusReadsToComplete = 2
    /// How long a bulk operation's result stays downloadable after it completes (Shopify: 7 days).
    public var bulkResultLifetimeSeconds: Int64 = 7 * 86_400

    public init() {}
}

/// The credentials a ``ShopifyEmulator`` accepts and signs with.
///
/// `accessToken` goes in `X-Shopify-Access-Token`; `apiKey`/`password` are the legacy private-app
/// Basic credentials (the password is also accepted as an access token); `webhookSecret` keys the
/// `X-Shopify-Hmac-Sha256` signature of every webhook.
public struct ShopifyCredentials: Sendable, Hashable {
    public var accessToken: String
    public var apiKey: String
    public var password: String
    public var webhookSecret: String
    /// The Dev Dashboard app's client id and secret: exchanged for expiring tokens at
    /// `POST /admin/oauth/access_token`.
    public var clientID: String
    public var clientSecret: String

    public init(accessToken: String, apiKey: String, password: String, webhookSecret: String, clientID: String, clientSecret: String) {
        self.accessToken = accessToken
        self.apiKey = apiKey
        self.password = password
        self.webhookSecret = webhookSecret
        self.clientID = clientID
        self.clientSecret = clientSecret
    }
}

/// A failed merchant action on a ``ShopifyEmulator``, carrying what the REST API would answer.
public struct ShopifyEmulatorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable code: `not_found`, `unprocessable`, `bad_request`.
    public let code: String
    /// What is wrong and what to do.
    public let message: String
    /// The HTTP status the REST API answers for the same mistake.
    public let status: Int
    /// The REST error body (`{"errors": …}`).
    public let body: JSONValue

    public var description: String { "shopify emulator \(code) (\(status)): \(message)" }
}
