import SyncCore

/// How a ``WooCommerceEmulator`` site is set up: its URL, currency, tax display and transport.
///
/// ```swift
/// var config = WooCommerceEmulatorConfiguration()
/// config.siteURL = "http://127.0.0.1:8082"
/// config.assumeHTTPS = true   // behind a TLS-terminating proxy: Basic auth accepted
/// ```
public struct WooCommerceEmulatorConfiguration: Sendable, Hashable {
    /// The site's home URL without a trailing slash. OAuth 1.0a base strings sign `siteURL + path`.
    public var siteURL: String
    /// ISO 4217 store currency (`woocommerce_currency`).
    public var currency: String
    /// Whether catalog prices include tax (`woocommerce_prices_include_tax`).
    public var pricesIncludeTax: Bool
    /// The site's timezone offset from UTC in minutes; site-time dates (`date_created`) use it.
    public var timezoneOffsetMinutes: Int
    /// True when the site is reached over HTTPS (or a TLS-terminating proxy): Basic auth and query-string
    /// keys are accepted. False: only OAuth 1.0a one-legged works, as WooCommerce does over plain HTTP.
    public var assumeHTTPS: Bool
    /// The permission of the generated REST API key: `read`, `write` or `read_write`.
    public var keyPermissions: KeyPermissions
    /// The store's base country (used for generated addresses and tax rates).
    public var country: String
    /// Consecutive failed deliveries after which a webhook is disabled: it is disabled by the failure
    /// that finds more than this many before it (`woocommerce_max_webhook_delivery_failures`, default 5).
    public var maxWebhookDeliveryFailures = 5

    /// A REST API key's permission, as WooCommerce stores it.
    public enum KeyPermissions: String, Sendable, Hashable, CaseIterable {
        case read, write, readWrite = "read_write"
    }

    public init(
        siteURL: String = "http://127.0.0.1:8082",
        currency: String = "MXN",
        pricesIncludeTax: Bool = false,
        timezoneOffsetMinutes: Int = -360,
        assumeHTTPS: Bool = false,
        keyPermissions: KeyPermissions = .readWrite,
        country: String = "MX"
    ) {
        self.siteURL = siteURL
        self.currency = currency
        self.pricesIncludeTax = pricesIncludeTax
        self.timezoneOffsetMinutes = timezoneOffsetMinutes
        self.assumeHTTPS = assumeHTTPS
        self.keyPermissions = keyPermissions
        self.country = country
    }
}

/// The secrets a merchant would copy from wp-admin: the REST API key pair and the webhook secret.
///
/// They are derived from the emulator's seed, so a seed always yields the same credentials.
public struct WooCommerceCredentials: Sendable, Hashable {
    /// `ck_` followed by 40 hex digits.
    public var consumerKey: String
    /// `cs_` followed by 40 hex digits.
    public var consumerSecret: String
    /// The secret used to sign webhook deliveries when a webhook is created without its own secret.
    public var webhookSecret: String

    public init(consumerKey: String, consumerSecret: String, webhookSecret: String) {
        self.consumerKey = consumerKey
        self.consumerSecret = consumerSecret
        self.webhookSecret = webhookSecret
    }

    static func generate(using rng: inout SeededRandom) -> WooCommerceCredentials {
        func hex(_ count: Int) -> String {
            let digits = Array("0123456789abcdef")
            return String((0..<count).map { _ in digits[Int(rng.next() & 15)] })
        }
        return WooCommerceCredentials(consumerKey: "ck_" + hex(40), consumerSecret: "cs_" + hex(40), webhookSecret: hex(32))
    }
}

/// Why a merchant action on a ``WooCommerceEmulator`` was refused (unknown id, duplicate SKU, …).
///
/// `code` is WooCommerce's own error code (`woocommerce_rest_product_invalid_id`); `status` the HTTP
/// status the REST API would answer with.
public struct WooCommerceEmulatorError: Error, Sendable, Hashable, CustomStringConvertible {
    public let code: String
    public let message: String
    public let status: Int
    /// For `rest_invalid_param`: each offending parameter and what is wrong with it.
    public let params: [String: String]

    public init(code: String, message: String, status: Int, params: [String: String] = [:]) {
        self.code = code
        self.message = message
        self.status = status
        self.params = params
    }

    public var description: String { "woocommerce emulator \(code) (\(status)): \(message)" }

    var json: JSONValue {
        var data: [String: JSONValue] = ["status": .integer(status)]
        if !params.isEmpty { data["params"] = .object(params.mapValues { .string($0) }) }
        return ["code": .string(code), "message": .string(message), "data": .object(data)]
    }
}
