import SyncCore

/// The state of a sales order (*Pedido*).
public enum SalesOrderStatus: String, Sendable, Hashable, CaseIterable, Codable {
    /// Created, stock reserved, not yet invoiced.
    case open
    /// Cancelled before a sale was registered; its reservations were released.
    case cancelled
    /// A sale (*Venta*) was registered and applied from it.
    case invoiced
}

/// Where an order came from: a store link and the store's own order id.
///
/// At most one sales order holds a given reference, so a store order becomes exactly one *Pedido*.
public struct ExternalReference: Sendable, Hashable {
    /// The store link, e.g. `shopify:mi-tienda` or `woocommerce:tienda.mx`.
    public let store: String
    /// The store's order id, as text.
    public let remoteID: String

    public init(store: String, remoteID: String) {
        self.store = store
        self.remoteID = remoteID
    }
}

/// A line of a sales order, with its computed amounts.
public struct SalesOrderLine: Sendable, Hashable {
    public let position: Int
    public let productID: Int64?
    public let description: String
    public let quantity: Int64
    public let unitPrice: ExactDecimal
    /// An amount taken off the line (not a percentage).
    public let discount: ExactDecimal
    public let taxID: Int64?
    /// The line amount without tax.
    public let net: ExactDecimal
    /// The tax on the line.
    public let taxAmount: ExactDecimal
    /// `quantity × unitPrice − discount`, rounded to cents: tax-inclusive when the order's prices include tax.
    public let lineTotal: ExactDecimal
}

/// One tax's share of a document: the taxed base and the tax amount.
public struct TaxSummary: Sendable, Hashable {
    public let taxID: Int64
    public let base: ExactDecimal
    public let amount: ExactDecimal

    public init(taxID: Int64, base: ExactDecimal, amount: ExactDecimal) {
        self.taxID = taxID
        self.base = base
        self.amount = amount
    }
}

/// A sales order (*Pedido*) with its lines, taxes and totals.
///
/// `total == subtotal + shippingNet + taxTotal + rounding`, to the cent.
public struct SalesOrder: Sendable, Hashable {
    public let id: Int64
    public let number: String
    public let contactID: Int64?
    public let date: Int64
    public let status: SalesOrderStatus
    /// The goods were shipped or handed over (independent of invoicing).
    public let fulfilled: Bool
    public let currency: String
    public let pricesIncludeTax: Bool
    public let lines: [SalesOrderLine]
    public let taxes: [TaxSummary]
    /// Shipping as charged (tax-inclusive when prices include tax).
    public let shipping: ExactDecimal
    public let shippingTaxID: Int64?
    public let shippingNet: ExactDecimal
    /// The sum of line nets.
    public let subtotal: ExactDecimal
    public let taxTotal: ExactDecimal
    /// The explicit rounding line, so the total matches the store's to the cent.
    public let rounding: ExactDecimal
    public let total: ExactDecimal
    public let note: String?
    public let shippingAddress: JSONValue?
    public let externalReference: ExternalReference?
    public let createdAt: Int64
    public let updatedAt: Int64
}

/// A line of a new sales order.
public struct SalesOrderLineDraft: Sendable, Hashable {
    public var productID: Int64?
    /// Shown on the document; defaults to the product's name when empty.
    public var description: String
    public var quantity: Int64
    public var unitPrice: ExactDecimal
    public var discount: ExactDecimal
    public var taxID: Int64?

    public init(productID: Int64?, description: String = "", quantity: Int64, unitPrice: ExactDecimal, discount: ExactDecimal = .zero, taxID: Int64? = nil) {
        self.productID = productID
        self.description = description
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.discount = discount
        self.taxID = taxID
    }
}

/// A new sales order.
///
/// Set ``expectedTotal`` to the store's total: the ledger refuses the order if its computed total
/// differs by even a cent, so a mismatch is caught rather than booked. Put any rounding difference
/// on ``rounding`` (at most ±1.00), computed beforehand with ``SalesOrderTotals``.
public struct SalesOrderDraft: Sendable, Hashable {
    /// The document number; `nil` takes the next `PED-000001`-style number.
    public var number: String?
    public var contactID: Int64?
    /// Milliseconds since the epoch; `nil` means now on the ledger's clock.
    public var date: Int64?
    public var currency: String
    public var pricesIncludeTax: Bool
    public var lines: [SalesOrderLineDraft]
    public var shipping: ExactDecimal
    public var shippingTaxID: Int64?
    public var rounding: ExactDecimal
    public var expectedTotal: ExactDecimal?
    public var note: String?
    public var shippingAddress: JSONValue?
    public var externalReference: ExternalReference?

    public init(number: String? = nil, contactID: Int64? = nil, date: Int64? = nil, currency: String, pricesIncludeTax: Bool = false,
                lines: [SalesOrderLineDraft], shipping: ExactDecimal = .zero, shippingTaxID: Int64? = nil, rounding: ExactDecimal = .zero,
                expectedTotal: ExactDecimal? = nil, note: String? = nil, shippingAddress: JSONValue? = nil, externalReference: ExternalReference? = nil) {
        self.number = number
        self.contactID = contactID
        self.date = date
        self.currency = currency
        self.pricesIncludeTax = pricesIncludeTax
        self.lines = lines
        self.shipping = shipping
        self.shippingTaxID = shippingTaxID
        self.rounding = rounding
        self.expectedTotal = expectedTotal
        self.note = note
        self.shippingAddress = shippingAddress
        self.externalReference = externalReference
    }
}

/// The fields of a sales order that may change after it is created.
///
/// These are the Oorden-side edits the sync engine pushes to a store's order.
public struct SalesOrderEdit: Sendable, Hashable {
    public var note: String?
    public var shippingAddress: JSONValue?
    public var fulfilled: Bool

    public init(note: String?, shippingAddress: JSONValue?, fulfilled: Bool) {
        self.note = note
        self.shippingAddress = shippingAddress
        self.fulfilled = fulfilled
    }
}
