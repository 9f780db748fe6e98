import SyncCore
import Foundation

/// A sellable product: one SKU.
///
/// SKUs are unique across all products, active or not (the sync engine matches store variants by
/// SKU). Stock is not a field: it is the sum of the product's inventory movements, see
/// ``OordenLedger/stockOnHand(productID:)``.
public struct Product: Sendable, Hashable {
    public let id: Int64
    public let sku: String
    public let name: String
    public let price: ExactDecimal
    public let taxable: Bool
    public let active: Bool
    public let taxID: Int64?
    public let createdAt: Int64
    public let updatedAt: Int64

    public init(id: Int64, sku: String, name: String, price: ExactDecimal, taxable: Bool, active: Bool, taxID: Int64?, createdAt: Int64, updatedAt: Int64) {
        self.id = id
        self.sku = sku
        self.name = name
        self.price = price
        self.taxable = taxable
        self.active = active
        self.taxID = taxID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The editable fields of this product, to change some and pass to ``OordenLedger/updateProduct(_:origin:edit:)``.
    public var draft: ProductDraft {
        ProductDraft(sku: sku, name: name, price: price, taxable: taxable, active: active, taxID: taxID)
    }
}

/// The editable fields of a product.
public struct ProductDraft: Sendable, Hashable {
    public var sku: String
    public var name: String
    public var price: ExactDecimal
    public var taxable: Bool
    public var active: Bool
    /// The tax applied by default on sales of this product; must exist. Ignored (cleared) when
    /// ``taxable`` is false.
    public var taxID: Int64?

    public init(sku: String, name: String, price: ExactDecimal, taxable: Bool = true, active: Bool = true, taxID: Int64? = nil) {
        self.sku = sku
        self.name = name
        self.price = price
        self.taxable = taxable
        self.active = active
        self.taxID = taxID
    }

    func validated() throws -> ProductDraft {
        var d = self
        d.sku = sku.trimmingCharacters(in: .whitespacesAndNewlines)
        d.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !d.sku.isEmpty else { throw LedgerError(.missingField, "a product needs a sku; give a non-empty sku") }
        guard !d.name.isEmpty else { throw LedgerError(.missingField, "product \(d.sku) needs a name; give a non-empty name") }
        try LedgerLimits.checkAmount(price, "price of product \(d.sku)")
        guard !price.isNegative else {
            throw LedgerError(.invalidValue, "price \(Money.text(price)) of product \(d.sku) is negative; give a price of 0 or more")
        }
        // A product that is not taxable has no default tax: turning `taxable` off clears it, so a
        // store that only knows the flag can still update the product.
        if !taxable { d.taxID = nil }
        return d
    }
}
