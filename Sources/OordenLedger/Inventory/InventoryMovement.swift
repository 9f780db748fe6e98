import SyncCore

/// Why stock moved.
public enum MovementKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Goods received from a supplier (positive).
    case purchase
    /// A manual correction, a count, or a store's observed stock change (either sign).
    case adjustment
    /// Goods sold by an applied sale (negative).
    case sale
    /// Stock held by an open sales order (negative).
    case salesOrderReservation = "sales_order_reservation"
    /// A reservation given back when its order is cancelled or invoiced (positive).
    case reservationRelease = "reservation_release"
    /// Goods returned with a credit note (positive).
    case creditNoteReturn = "credit_note_return"
}

/// A movement to record with ``OordenLedger/recordMovement(_:origin:)``: a purchase or an adjustment.
public struct MovementDraft: Sendable, Hashable {
    public var productID: Int64
    public var quantity: Int64
    public var kind: MovementKind
    public var reference: String?

    public init(productID: Int64, quantity: Int64, kind: MovementKind, reference: String? = nil) {
        self.productID = productID
        self.quantity = quantity
        self.kind = kind
        self.reference = reference
    }
}

/// One change of a product's stock.
///
/// Stock on hand (available to sell) is the sum of a product's movements. Movements are never
/// edited or deleted; a mistake is corrected with another movement.
public struct InventoryMovement: Sendable, Hashable {
    public let id: Int64
    public let productID: Int64
    /// Units in (positive) or out (negative); never zero.
    public let quantity: Int64
    public let kind: MovementKind
    /// The document that caused it: `sales_order:<id>`, `sale:<id>`, `credit_note:<id>`, or free
    /// text for purchases and adjustments (a supplier invoice number).
    public let reference: String?
    public let time: Int64
    public let origin: LedgerOrigin

    public init(id: Int64, productID: Int64, quantity: Int64, kind: MovementKind, reference: String?, time: Int64, origin: LedgerOrigin) {
        self.id = id
        self.productID = productID
        self.quantity = quantity
        self.kind = kind
        self.reference = reference
        self.time = time
        self.origin = origin
    }
}
