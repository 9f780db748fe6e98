/// One tax applied to an order, a line or a shipping line.
///
/// ``ratePercent`` is a percentage (Shopify `rate: 0.16` → 16; WooCommerce `rate_percent` or the
/// `/taxes` rate looked up by ``rateID``). It is `nil` only for a WooCommerce tax whose percentage
/// the order does not carry: ``OrderRecord/resolvingTaxRates(_:)`` fills it from the tax list.
public struct OrderTaxLine: Sendable, Hashable {
    public var title: String
    public var ratePercent: ExactDecimal?
    /// WooCommerce's tax rate id (`rate_id`); `nil` for Shopify.
    public var rateID: String?
    /// The tax amount in shop money.
    public var amount: ExactDecimal
    public var compound: Bool

    public init(title: String, ratePercent: ExactDecimal?, rateID: String? = nil, amount: ExactDecimal, compound: Bool = false) {
        self.title = title
        self.ratePercent = ratePercent
        self.rateID = rateID
        self.amount = amount
        self.compound = compound
    }
}

/// One line of an order, in shop money.
public struct OrderLine: Sendable, Hashable {
    public var remoteID: String
    public var sku: String?
    public var remoteProductID: String?
    /// Shopify variant id / WooCommerce variation id (`nil` for a Woo simple product).
    public var remoteVariantID: String?
    public var title: String
    public var quantity: Int
    /// The unit price before discounts, as the store lists it (tax included when the order's
    /// `taxesIncluded` is true).
    public var unitPrice: ExactDecimal
    /// `unitPrice × quantity` (WooCommerce `subtotal`).
    public var subtotal: ExactDecimal
    /// The discount allocated to the line.
    public var discount: ExactDecimal
    /// `subtotal - discount` (WooCommerce `total`), before tax unless taxes are included.
    public var total: ExactDecimal
    public var taxLines: [OrderTaxLine]

    public init(
        remoteID: String, sku: String? = nil, remoteProductID: String? = nil, remoteVariantID: String? = nil, title: String,
        quantity: Int, unitPrice: ExactDecimal, subtotal: ExactDecimal, discount: ExactDecimal, total: ExactDecimal,
        taxLines: [OrderTaxLine] = []
    ) {
        self.remoteID = remoteID
        self.sku = PostalAddress.clean(sku)
        self.remoteProductID = remoteProductID
        self.remoteVariantID = remoteVariantID
        self.title = title
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.subtotal = subtotal
        self.discount = discount
        self.total = total
        self.taxLines = taxLines
    }
}

/// A shipping charge of an order, in shop money.
public struct OrderShippingLine: Sendable, Hashable {
    public var title: String
    public var price: ExactDecimal
    /// The total tax on the shipping charge.
    public var tax: ExactDecimal
    public var taxLines: [OrderTaxLine]

    public init(title: String, price: ExactDecimal, tax: ExactDecimal, taxLines: [OrderTaxLine] = []) {
        self.title = title
        self.price = price
        self.tax = tax
        self.taxLines = taxLines
    }
}

/// A refund of an order: money returned and, per line, quantities returned.
public struct OrderRefund: Sendable, Hashable {
    /// One refunded line: which order line, how many units, how much.
    public struct Line: Sendable, Hashable {
        public var lineID: String
        /// Units refunded, positive.
        public var quantity: Int
        /// The refunded amount of the line before tax, positive, when the store reports it.
        public var subtotal: ExactDecimal?

        public init(lineID: String, quantity: Int, subtotal: ExactDecimal? = nil) {
            self.lineID = lineID
            self.quantity = quantity
            self.subtotal = subtotal
        }
    }

    public var remoteID: String
    /// Milliseconds since the Unix epoch.
    public var createdAt: Int64?
    /// The money refunded, positive.
    public var amount: ExactDecimal
    public var reason: String?
    /// Whether the refunded units go back to stock (Shopify `restock`), when known.
    public var restock: Bool?
    public var lines: [Line]

    public init(remoteID: String, createdAt: Int64? = nil, amount: ExactDecimal, reason: String? = nil, restock: Bool? = nil, lines: [Line] = []) {
        self.remoteID = remoteID
        self.createdAt = createdAt
        self.amount = amount
        self.reason = PostalAddress.clean(reason)
        self.restock = restock
        self.lines = lines
    }
}
