/// A store order in canonical form, all amounts in SHOP money.
///
/// Shopify amounts come from `*_set.shop_money` when present (so an order paid in another
/// presentment currency still books in the shop's currency), else from the plain fields.
/// WooCommerce orders are always in the store currency.
public struct OrderRecord: Sendable, Hashable {
    public var store: StoreKind
    public var remoteID: String
    /// What the merchant sees: Shopify `name` (`#1001`), WooCommerce `number` (`727`).
    public var number: String
    public var email: String?
    /// The store customer's id; `nil` for a guest order.
    public var customerRemoteID: String?
    public var billingAddress: PostalAddress?
    public var shippingAddress: PostalAddress?
    /// The shop currency of every amount in the record.
    public var currency: String
    /// The currency the buyer saw, when different from ``currency``.
    public var presentmentCurrency: String?
    /// Whether line prices include tax (Shopify `taxes_included`, Woo `prices_include_tax`).
    public var taxesIncluded: Bool
    public var lifecycle: OrderLifecycle
    /// The store's own status text: Woo `status`; Shopify `financial_status` (or `pending`).
    public var storeStatus: String
    public var lines: [OrderLine]
    public var taxLines: [OrderTaxLine]
    public var shippingLines: [OrderShippingLine]
    public var discountTotal: ExactDecimal
    /// Sum of line prices after line discounts (Shopify `subtotal_price`; Woo Σ line totals).
    public var subtotal: ExactDecimal
    public var totalTax: ExactDecimal
    public var total: ExactDecimal
    public var refunds: [OrderRefund]
    public var note: String?
    /// Milliseconds since the Unix epoch, for each of these.
    public var paidAt: Int64?
    public var completedAt: Int64?
    public var createdAt: Int64?
    public var updatedAt: Int64?

    public init(
        store: StoreKind, remoteID: String, number: String, email: String? = nil, customerRemoteID: String? = nil,
        billingAddress: PostalAddress? = nil, shippingAddress: PostalAddress? = nil, currency: String,
        presentmentCurrency: String? = nil, taxesIncluded: Bool = false, lifecycle: OrderLifecycle, storeStatus: String,
        lines: [OrderLine] = [], taxLines: [OrderTaxLine] = [], shippingLines: [OrderShippingLine] = [],
        discountTotal: ExactDecimal = .zero, subtotal: ExactDecimal = .zero, totalTax: ExactDecimal = .zero,
        total: ExactDecimal = .zero, refunds: [OrderRefund] = [], note: String? = nil, paidAt: Int64? = nil,
        completedAt: Int64? = nil, createdAt: Int64? = nil, updatedAt: Int64? = nil
    ) {
        self.store = store
        self.remoteID = remoteID
        self.number = number
        self.email = PostalAddress.clean(email)
        self.customerRemoteID = customerRemoteID
        self.billingAddress = billingAddress.flatMap { $0.isEmpty ? nil : $0 }
        self.shippingAddress = shippingAddress.flatMap { $0.isEmpty ? nil : $0 }
        self.currency = currency
        self.presentmentCurrency = presentmentCurrency
        self.taxesIncluded = taxesIncluded
        self.lifecycle = lifecycle
        self.storeStatus = storeStatus
        self.lines = lines
        self.taxLines = taxLines
        self.shippingLines = shippingLines
        self.discountTotal = discountTotal
        self.subtotal = subtotal
        self.totalTax = totalTax
        self.total = total
        self.refunds = refunds
        self.note = PostalAddress.clean(note)
        self.paidAt = paidAt
        self.completedAt = completedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Every distinct tax percentage used by the order (order, line and shipping taxes), sorted.
    /// A tax whose percentage is still unknown is left out: see ``unresolvedTaxRateIDs``.
    public var taxPercents: [ExactDecimal] {
        Array(Set(allTaxLines.compactMap(\.ratePercent))).sorted()
    }

    /// WooCommerce rate ids whose percentage the order does not carry, sorted; empty when every
    /// tax is known. Fetch `/taxes` and call ``resolvingTaxRates(_:)``.
    public var unresolvedTaxRateIDs: [String] {
        Array(Set(allTaxLines.filter { $0.ratePercent == nil }.compactMap(\.rateID))).sorted()
    }

    /// A copy whose unknown tax percentages are filled from the store's tax rates, by rate id.
    public func resolvingTaxRates(_ rates: [TaxRateRecord]) -> OrderRecord {
        let byID = Dictionary(rates.map { ($0.id, $0.percent) }, uniquingKeysWith: { first, _ in first })
        func fill(_ t: OrderTaxLine) -> OrderTaxLine {
            guard t.ratePercent == nil, let id = t.rateID, let p = byID[id] else { return t }
            var c = t
            c.ratePercent = p
            return c
        }
        var r = self
        r.taxLines = taxLines.map(fill)
        r.lines = lines.map { var l = $0; l.taxLines = l.taxLines.map(fill); return l }
        r.shippingLines = shippingLines.map { var s = $0; s.taxLines = s.taxLines.map(fill); return s }
        return r
    }

    /// The money refunded so far, positive.
    public var refundedTotal: ExactDecimal {
        refunds.reduce(.zero) { $0 + $1.amount }
    }

    private var allTaxLines: [OrderTaxLine] {
        taxLines + lines.flatMap(\.taxLines) + shippingLines.flatMap(\.taxLines)
    }
}
