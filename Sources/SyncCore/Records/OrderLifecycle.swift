/// Where an order stands, mapped from the store's own statuses to one canonical model.
///
/// Shopify reports financial and fulfillment status separately; WooCommerce has one `status`
/// (`processing` → paid + unfulfilled, `completed` → paid + fulfilled, `cancelled`, `refunded`, …),
/// kept raw in ``OrderRecord/storeStatus`` so a configurable "finalized" rule can read it.
public struct OrderLifecycle: Sendable, Hashable {
    public enum Financial: String, Sendable, Hashable, CaseIterable {
        case pending, authorized, partiallyPaid, paid, partiallyRefunded, refunded, voided, failed
    }

    public enum Fulfillment: String, Sendable, Hashable, CaseIterable {
        case unfulfilled, partial, fulfilled
    }

    public var financial: Financial
    public var fulfillment: Fulfillment
    /// Whether the store cancelled the order (Shopify `cancelled_at`, Woo `cancelled`/`trash`).
    public var cancelled: Bool
    /// When it was cancelled (Shopify only; WooCommerce does not record it), ms since the epoch.
    public var cancelledAt: Int64?
    /// Shopify `closed_at` (archived), ms since the epoch.
    public var closedAt: Int64?

    public init(financial: Financial, fulfillment: Fulfillment, cancelled: Bool = false, cancelledAt: Int64? = nil, closedAt: Int64? = nil) {
        self.financial = financial
        self.fulfillment = fulfillment
        self.cancelled = cancelled || cancelledAt != nil
        self.cancelledAt = cancelledAt
        self.closedAt = closedAt
    }

    /// Whether money was captured (paid, or paid and then refunded in part or whole).
    public var isPaid: Bool {
        switch financial {
        case .paid, .partiallyRefunded, .refunded: true
        default: false
        }
    }
}
