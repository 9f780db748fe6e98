import SyncCore

/// What Oorden implements so store orders become its documents: the sales order (*Pedido*), the
/// registered and applied sale (*Venta*), cancellations and credit notes.
///
/// Every document carries the store order's external reference (store name, remote id), which the
/// host keeps unique: asking for it again finds the existing document, so each fact is applied once.
public protocol OordenSalesHost: OordenHost {
    /// The id of an Oorden tax with exactly this percentage (16 ≙ Shopify 0.16 ≙ WooCommerce "16.0000").
    func taxID(percent: ExactDecimal) throws -> String?

    /// The sales order created for a store order, if any.
    func salesOrder(store: String, remoteID: String) throws -> HostSalesOrder?

    /// The total Oorden would compute for `draft` (before rounding), to find the rounding cent.
    func previewTotal(_ draft: HostSalesOrderDraft) throws -> ExactDecimal

    func createSalesOrder(_ draft: HostSalesOrderDraft, origin: ReplicaID) throws -> HostSalesOrder
    func registerSale(salesOrderID: String, date: Int64?, origin: ReplicaID) throws
    func cancelSalesOrder(id: String, origin: ReplicaID) throws
    /// A credit note against the order's sale; `marker` is kept with it so the same refund is
    /// never credited twice.
    func createCreditNote(salesOrderID: String, amount: ExactDecimal, marker: String, date: Int64?, origin: ReplicaID) throws

    /// What Oorden users may edit on an imported order, as canonical fields (`note`, `shipping_address`,
    /// `cancelled`, `fulfilled`), with the store order it came from; nil for an order not from a store.
    func salesOrderEdits(id: String) throws -> (store: String, remoteID: String, fields: FieldValues)?
}

/// A sales order as the engine needs to see it.
public struct HostSalesOrder: Sendable, Hashable {
    public enum Status: String, Sendable { case open, cancelled, invoiced }

    public var id: String
    public var number: String
    public var status: Status
    public var total: ExactDecimal
    /// Markers of the credit notes issued against its sale.
    public var creditMarkers: Set<String>
    /// The sum of those credit notes.
    public var credited: ExactDecimal

    public init(id: String, number: String, status: Status, total: ExactDecimal, creditMarkers: Set<String>, credited: ExactDecimal) {
        self.id = id
        self.number = number
        self.status = status
        self.total = total
        self.creditMarkers = creditMarkers
        self.credited = credited
    }
}

/// A new sales order for a store order.
public struct HostSalesOrderDraft: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        public var productID: String?
        public var description: String
        public var quantity: Int64
        public var unitPrice: ExactDecimal
        public var discount: ExactDecimal
        public var taxID: String?
    }

    public var store: String
    public var remoteID: String
    public var number: String
    public var contactID: String?
    public var date: Int64?
    public var currency: String
    public var pricesIncludeTax: Bool
    public var lines: [Line]
    public var shipping: ExactDecimal
    public var shippingTaxID: String?
    public var rounding: ExactDecimal
    public var expectedTotal: ExactDecimal
    public var note: String?
    public var shippingAddress: JSONValue?
}
