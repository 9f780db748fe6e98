import SyncCore

/// A sale (*Venta*): the invoice registered and applied from a sales order.
///
/// Applying it turns the order's stock reservations into sale movements. Its amounts are the
/// order's; its lines are the order's lines (see ``OordenLedger/documents(ofOrder:)``).
public struct Sale: Sendable, Hashable {
    public let id: Int64
    public let number: String
    public let orderID: Int64
    public let contactID: Int64?
    public let date: Int64
    public let currency: String
    /// The amount before tax: the order's line nets plus its shipping net.
    public let subtotal: ExactDecimal
    public let taxTotal: ExactDecimal
    /// The order's total, rounding line included.
    public let total: ExactDecimal
    public let createdAt: Int64
}

/// A product and quantity returned or credited on a credit note.
public struct CreditNoteLine: Sendable, Hashable {
    public let productID: Int64
    public let quantity: Int64

    public init(productID: Int64, quantity: Int64) {
        self.productID = productID
        self.quantity = quantity
    }
}

/// A credit note against a sale: money given back, optionally with goods returned to stock.
public struct CreditNote: Sendable, Hashable {
    public let id: Int64
    public let number: String
    public let saleID: Int64
    public let date: Int64
    public let amount: ExactDecimal
    public let restock: Bool
    public let reason: String?
    public let lines: [CreditNoteLine]
    public let createdAt: Int64
}

/// A new credit note.
///
/// The amounts of all credit notes of a sale never exceed the sale's total, and returned
/// quantities never exceed what the sale sold. With ``restock`` each line puts its quantity back
/// into stock with a `credit_note_return` movement.
public struct CreditNoteDraft: Sendable, Hashable {
    public var saleID: Int64
    public var amount: ExactDecimal
    public var lines: [CreditNoteLine]
    public var restock: Bool
    public var reason: String?
    public var date: Int64?

    public init(saleID: Int64, amount: ExactDecimal, lines: [CreditNoteLine] = [], restock: Bool = false, reason: String? = nil, date: Int64? = nil) {
        self.saleID = saleID
        self.amount = amount
        self.lines = lines
        self.restock = restock
        self.reason = reason
        self.date = date
    }
}

/// A sales order with everything issued from it.
public struct OrderDocuments: Sendable, Hashable {
    public let order: SalesOrder
    public let sale: Sale?
    public let creditNotes: [CreditNote]
    public let movements: [InventoryMovement]
}
