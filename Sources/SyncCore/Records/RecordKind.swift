/// The kinds of record kept as register maps and synced field by field: contacts and products.
///
/// The Oorden host's record API and the engine's ingest speak in these; sales orders are documents
/// with their own API (`OordenSalesHost`), so a record API never has to refuse an order.
///
/// ```swift
/// RecordKind(EntityKind.product)   // .product
/// RecordKind(EntityKind.order)     // nil
/// ```
public enum RecordKind: String, Sendable, Hashable, CaseIterable, Codable {
    case contact, product

    /// The entity kind the engine's tables record it under.
    public var entityKind: EntityKind {
        switch self {
        case .contact: .contact
        case .product: .product
        }
    }

    /// The record kind of an entity kind; nil for orders.
    public init?(_ kind: EntityKind) {
        switch kind {
        case .contact: self = .contact
        case .product: self = .product
        case .order: return nil
        }
    }
}
