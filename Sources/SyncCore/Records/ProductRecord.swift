/// One sellable SKU of a store, in canonical form: a Shopify variant, a WooCommerce simple product or
/// a WooCommerce variation.
///
/// The engine keeps a product as an LWW register map; ``canonicalFields`` is its view of the store
/// record. Canonical field names: `sku` (`.string`/`.null`), `name` (`.string`), `price`
/// (`.decimal`/`.null`), `compare_at_price` (`.decimal`/`.null`), `taxable` (`.bool`), `active`
/// (`.bool`), `barcode` (`.string`/`.null`). Stock is **not** a register field: it is a counter fed
/// by observed ``stockQuantity`` changes and pushed as deltas.
///
/// A variant without SKU is representable (``sku`` is `nil`) so the engine can hold it with a reason.
public struct ProductRecord: Sendable, Hashable {
    public var store: StoreKind
    /// The Shopify product id, or the WooCommerce product (parent) id.
    public var remoteProductID: String
    /// The Shopify variant id or WooCommerce variation id; `nil` for a WooCommerce simple product.
    public var remoteVariantID: String?
    /// Shopify's inventory item id of the variant (used for inventory levels).
    public var inventoryItemID: String?
    public var sku: String?
    /// Product title + " - " + variant title (Shopify's "Default Title" variant: the product title).
    public var name: String
    /// The product's own title, as the store holds it.
    public var productTitle: String
    /// The variant's title (Shopify variant title, WooCommerce variation options), `nil` for the only
    /// variant of a product.
    public var variantTitle: String?
    public var price: ExactDecimal?
    public var compareAtPrice: ExactDecimal?
    public var taxable: Bool
    /// Shopify `status == active`; WooCommerce `status == publish`.
    public var active: Bool
    public var barcode: String?
    /// The stock the store reports (Shopify `inventory_quantity`, Woo `stock_quantity`); observed only.
    public var stockQuantity: Int?
    /// Whether the store tracks stock for this SKU (Shopify `inventory_management == "shopify"`,
    /// Woo `manage_stock`).
    public var manageStock: Bool
    public var marker: EntityID?
    /// Milliseconds since the Unix epoch (the product's creation time), when the store says.
    public var createdAt: Int64?
    /// Milliseconds since the Unix epoch (the later of product and variant update times).
    public var updatedAt: Int64?

    public init(
        store: StoreKind, remoteProductID: String, remoteVariantID: String? = nil, inventoryItemID: String? = nil,
        sku: String? = nil, name: String, productTitle: String? = nil, variantTitle: String? = nil,
        price: ExactDecimal? = nil, compareAtPrice: ExactDecimal? = nil, taxable: Bool = true, active: Bool = true,
        barcode: String? = nil, stockQuantity: Int? = nil, manageStock: Bool = false, marker: EntityID? = nil,
        createdAt: Int64? = nil, updatedAt: Int64? = nil
    ) {
        self.store = store
        self.remoteProductID = remoteProductID
        self.remoteVariantID = remoteVariantID
        self.inventoryItemID = inventoryItemID
        self.sku = PostalAddress.clean(sku)
        self.name = name
        self.productTitle = productTitle ?? name
        self.variantTitle = PostalAddress.clean(variantTitle)
        self.price = price
        self.compareAtPrice = compareAtPrice
        self.taxable = taxable
        self.active = active
        self.barcode = PostalAddress.clean(barcode)
        self.stockQuantity = stockQuantity
        self.manageStock = manageStock
        self.marker = marker
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The display name: `title - variant` unless the variant has no own title.
    public static func displayName(productTitle: String, variantTitle: String?) -> String {
        guard let v = PostalAddress.clean(variantTitle), v != "Default Title" else { return productTitle }
        return productTitle + " - " + v
    }

    /// The canonical fields of a product.
    public static let fieldKeys: [FieldKey] = [.sku, .name, .price, .compareAtPrice, .taxable, .active, .barcode]

    /// The record as canonical fields; unset optional fields are `.null`.
    public var canonicalFields: FieldValues {
        [
            .sku: sku.map(Value.string) ?? .null,
            .name: .string(name),
            .price: price.map(Value.decimal) ?? .null,
            .compareAtPrice: compareAtPrice.map(Value.decimal) ?? .null,
            .taxable: .bool(taxable),
            .active: .bool(active),
            .barcode: barcode.map(Value.string) ?? .null,
        ]
    }

    /// A copy with canonical field changes applied; unknown names and wrongly typed values throw.
    ///
    /// A new `name` also becomes the product title when the record has no variant title, or when it
    /// ends in `" - " + variantTitle` (the prefix becomes the title).
    public func applying(_ changes: FieldValues) throws -> ProductRecord {
        var r = self
        for (key, value) in changes {
            switch key {
            case .sku: r.sku = PostalAddress.clean(try RecordField.string(value, key))
            case .name:
                guard let n = try RecordField.string(value, key) else {
                    throw ValueDecodingError(message: "product field \"name\" may not be null")
                }
                r.name = n
                if let v = r.variantTitle, n.hasSuffix(" - " + v) {
                    r.productTitle = String(n.dropLast(v.count + 3))
                } else {
                    r.productTitle = n
                    if r.variantTitle != nil { r.variantTitle = nil }
                }
            case .price: r.price = try RecordField.decimal(value, key)
            case .compareAtPrice: r.compareAtPrice = try RecordField.decimal(value, key)
            case .taxable: r.taxable = try RecordField.bool(value, key)
            case .active: r.active = try RecordField.bool(value, key)
            case .barcode: r.barcode = PostalAddress.clean(try RecordField.string(value, key))
            case .address, .archived, .cancelled, .company, .email, .firstName, .fulfilled, .lastName, .note, .phone, .shippingAddress:
                throw ValueDecodingError(message: "a product has no field \"\(key)\"; its fields: \(ProductRecord.fieldKeys.map(\.name).joined(separator: ", "))")
            }
        }
        return r
    }
}
