/// Which online store a record, request or link belongs to.
///
/// The canonical records are store-independent; the kind tells the engine which connector produced
/// them and which store rules apply (e.g. WooCommerce customers carry no note).
public enum StoreKind: String, Sendable, Hashable, CaseIterable, Codable {
    case shopify
    case woocommerce
}
