import SyncCore

/// A metafield attached to a customer or product (`{namespace, key, value, type}`).
struct ShopifyMetafield: Sendable, Hashable, Codable {
    var id: Int
    var namespace: String
    var key: String
    var value: String
    var type: String
    var createdAt: Int64
    var updatedAt: Int64
}

struct ShopifyCustomer: Sendable, Hashable, Codable {
    var id: Int
    var email: String?
    var firstName: String?
    var lastName: String?
    var phone: String?
    var note: String?
    var tags: String = ""
    var state = "disabled"
    var taxExempt = false
    var verifiedEmail = true
    var acceptsMarketing = false
    /// Address objects as Shopify renders them (with `id`, `customer_id`, `default`).
    @SnapshotJSON var addresses: [[String: JSONValue]] = []
    var metafields: [ShopifyMetafield] = []
    var createdAt: Int64
    var updatedAt: Int64
}

struct ShopifyVariant: Sendable, Hashable, Codable {
    var id: Int
    var productID: Int
    var title: String
    var sku: String?
    var price: ExactDecimal
    var compareAtPrice: ExactDecimal?
    var barcode: String?
    var taxable = true
    var inventoryItemID: Int
    var inventoryManagement: String? = "shopify"
    var inventoryPolicy = "deny"
    var grams = 0
    var position = 1
    var createdAt: Int64
    var updatedAt: Int64
}

struct ShopifyProduct: Sendable, Hashable, Codable {
    var id: Int
    var title: String
    var bodyHTML: String?
    var vendor: String
    var productType: String
    var handle: String
    var status = "active"
    var tags = ""
    var variants: [ShopifyVariant] = []
    var metafields: [ShopifyMetafield] = []
    var createdAt: Int64
    var updatedAt: Int64
    var publishedAt: Int64?
}

struct ShopifyInventoryLevel: Sendable, Hashable, Codable {
    var available: Int
    var updatedAt: Int64
}

struct ShopifyTaxLine: Sendable, Hashable, Codable {
    var title: String
    var rate: ExactDecimal
    var price: ExactDecimal
}

struct ShopifyLineItem: Sendable, Hashable, Codable {
    var id: Int
    var variantID: Int?
    var productID: Int?
    var sku: String?
    var title: String
    var variantTitle: String?
    var vendor: String?
    var quantity: Int
    var price: ExactDecimal
    var taxable: Bool
    var grams: Int
    var taxLines: [ShopifyTaxLine]
    var fulfilledQuantity = 0
    /// Quantity already put back in stock by a cancel or refund.
    var restockedQuantity = 0
    /// Quantity already refunded.
    var refundedQuantity = 0
    var inventoryManaged: Bool
}

struct ShopifyRefundLine: Sendable, Hashable, Codable {
    var id: Int
    var lineItemID: Int
    var quantity: Int
    var restockType: String
    var subtotal: ExactDecimal
    var totalTax: ExactDecimal
}

struct ShopifyTransaction: Sendable, Hashable, Codable {
    var id: Int
    var kind: String
    var amount: ExactDecimal
    var parentID: Int?
    var createdAt: Int64
}

struct ShopifyRefund: Sendable, Hashable, Codable {
    var id: Int
    var note: String?
    var restock: Bool
    var lines: [ShopifyRefundLine]
    var transactions: [ShopifyTransaction]
    var createdAt: Int64
}

struct ShopifyShippingLine: Sendable, Hashable, Codable {
    var id: Int
    var title: String
    var price: ExactDecimal
}

struct ShopifyOrder: Sendable, Hashable, Codable {
    var id: Int
    var number: Int
    var email: String?
    var phone: String?
    var customerID: Int?
    var lineItems: [ShopifyLineItem]
    var shippingLines: [ShopifyShippingLine] = []
    var taxesIncluded: Bool
    var financialStatus: String
    var cancelledAt: Int64?
    var cancelReason: String?
    var closedAt: Int64?
    var processedAt: Int64
    var note: String?
    var tags = ""
    @SnapshotJSON var shippingAddress: [String: JSONValue]?
    @SnapshotJSON var billingAddress: [String: JSONValue]?
    var refunds: [ShopifyRefund] = []
    var transactions: [ShopifyTransaction] = []
    var token: String
    var sourceName = "web"
    var createdAt: Int64
    var updatedAt: Int64

    var name: String { "#\(number)" }

    /// Order-level tax lines sent with the create request, when they carried their own prices.
    var explicitTaxLines: [ShopifyTaxLine]?

    var taxLines: [ShopifyTaxLine] {
        if let explicitTaxLines { return explicitTaxLines }
        var out: [ShopifyTaxLine] = []
        for line in lineItems {
            for t in line.taxLines {
                if let i = out.firstIndex(where: { $0.title == t.title && $0.rate == t.rate }) {
                    out[i].price = out[i].price + t.price
                } else {
                    out.append(t)
                }
            }
        }
        return out
    }

    var lineItemsTotal: ExactDecimal {
        lineItems.reduce(ExactDecimal.zero) { $0 + $1.price * $1.quantity }
    }

    var totalTax: ExactDecimal { taxLines.reduce(ExactDecimal.zero) { $0 + $1.price } }

    var shippingTotal: ExactDecimal { shippingLines.reduce(ExactDecimal.zero) { $0 + $1.price } }

    /// `subtotal_price`: line items (tax included when the shop's prices include it).
    var subtotal: ExactDecimal { lineItemsTotal }

    var totalPrice: ExactDecimal { subtotal + shippingTotal + (taxesIncluded ? .zero : totalTax) }

    var refundedAmount: ExactDecimal {
        refunds.reduce(ExactDecimal.zero) { acc, r in acc + r.transactions.reduce(ExactDecimal.zero) { $0 + $1.amount } }
    }

    var fulfillmentStatus: String? {
        let total = lineItems.reduce(0) { $0 + $1.quantity }
        let done = lineItems.reduce(0) { $0 + $1.fulfilledQuantity }
        if done == 0 { return nil }
        return done >= total ? "fulfilled" : "partial"
    }
}

struct ShopifyWebhookSubscription: Sendable, Hashable, Codable {
    var id: Int
    var topic: String
    var address: String
    var format: String
    var createdAt: Int64
    var updatedAt: Int64
}

/// The webhook topics the emulator can deliver (the reference list).
enum ShopifyTopics {
    static let all: [String] = [
        "customers/create", "customers/update", "customers/delete",
        "products/create", "products/update", "products/delete",
        "orders/create", "orders/updated", "orders/paid", "orders/fulfilled", "orders/cancelled",
        "inventory_levels/update",
    ]
}
