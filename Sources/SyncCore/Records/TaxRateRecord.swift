/// A WooCommerce tax rate (`/taxes`), whose percentage must exist as an Oorden tax.
///
/// ```swift
/// // {"id": 75, "rate": "7.5000", "name": "State Tax", "class": "standard", ...}
/// rate.percent == (try ExactDecimal("7.5"))   // true
/// ```
public struct TaxRateRecord: Sendable, Hashable {
    public var id: String
    /// The rate in percent, exact (`"16.0000"` → 16).
    public var percent: ExactDecimal
    public var name: String
    /// The tax class (`standard`, `reduced-rate`, `zero-rate`).
    public var taxClass: String
    public var country: String?
    public var state: String?
    public var compound: Bool
    /// Whether the rate also applies to shipping.
    public var shipping: Bool
    public var priority: Int?

    public init(
        id: String, percent: ExactDecimal, name: String, taxClass: String = "standard", country: String? = nil,
        state: String? = nil, compound: Bool = false, shipping: Bool = false, priority: Int? = nil
    ) {
        self.id = id
        self.percent = percent
        self.name = name
        self.taxClass = taxClass
        self.country = PostalAddress.clean(country)
        self.state = PostalAddress.clean(state)
        self.compound = compound
        self.shipping = shipping
        self.priority = priority
    }
}
