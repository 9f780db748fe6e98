/// The store-wide settings the engine checks at connect time and on every pass.
///
/// Currency must equal the company's; ``taxesIncluded`` tells how line prices relate to taxes.
public struct ShopSettings: Sendable, Hashable {
    public var store: StoreKind
    /// ISO 4217 code (`USD`, `MXN`).
    public var currency: String
    /// Shopify `taxes_included`, WooCommerce `woocommerce_prices_include_tax == "yes"`; `nil` if unknown.
    public var taxesIncluded: Bool?
    /// IANA zone name (`America/New_York`) when the store gives one.
    public var ianaTimezone: String?
    /// The offset the store reports (`(GMT-05:00) …` → -300), when known.
    public var timezoneOffsetMinutes: Int?
    /// Shopify's primary location, where inventory is adjusted.
    public var primaryLocationID: String?
    public var name: String?
    public var domain: String?

    public init(
        store: StoreKind, currency: String, taxesIncluded: Bool? = nil, ianaTimezone: String? = nil,
        timezoneOffsetMinutes: Int? = nil, primaryLocationID: String? = nil, name: String? = nil, domain: String? = nil
    ) {
        self.store = store
        self.currency = currency
        self.taxesIncluded = taxesIncluded
        self.ianaTimezone = ianaTimezone
        self.timezoneOffsetMinutes = timezoneOffsetMinutes
        self.primaryLocationID = primaryLocationID
        self.name = name
        self.domain = domain
    }
}
