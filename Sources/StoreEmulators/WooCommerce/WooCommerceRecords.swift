import SyncCore

/// One `meta_data` entry: `{id, key, value}`.
struct WooMeta: Sendable, Hashable, Codable {
    var id: Int
    var key: String
    @SnapshotJSON var value: JSONValue

    var json: JSONValue { ["id": .integer(id), "key": .string(key), "value": value] }
}

/// The billing (11 fields) or shipping (9 fields) address of a customer or order.
struct WooAddress: Sendable, Hashable, Codable {
    static let billingKeys = ["first_name", "last_name", "company", "address_1", "address_2", "city", "state", "postcode", "country", "email", "phone"]
    static let shippingKeys = ["first_name", "last_name", "company", "address_1", "address_2", "city", "state", "postcode", "country"]

    var values: [String: String] = [:]

    subscript(key: String) -> String {
        get { values[key] ?? "" }
        set { values[key] = newValue }
    }

    func json(keys: [String]) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: keys.map { ($0, JSONValue.string(self[$0])) }))
    }
}

struct WooCustomerRecord: Sendable, Hashable, Codable {
    var id: Int
    var created: Int64
    var modified: Int64
    var email: String
    var firstName = ""
    var lastName = ""
    var username: String
    var billing = WooAddress()
    var shipping = WooAddress()
    var isPayingCustomer = false
    var meta: [WooMeta] = []
}

/// A product or a variation (`parentID != 0`).
struct WooProductRecord: Sendable, Hashable, Codable {
    var id: Int
    var parentID = 0
    var created: Int64
    var modified: Int64
    var name: String
    var slug = ""
    var type = "simple"
    var status = "publish"
    var description = ""
    var shortDescription = ""
    var sku = ""
    var regularPrice = ""
    var salePrice = ""
    var taxStatus = "taxable"
    var taxClass = ""
    var manageStock = false
    var stockQuantity: Int? = nil
    var stockStatus = "instock"
    var totalSales = 0
    var variationIDs: [Int] = []
    /// Variable parents: `[name: options]`; variations: `[(name, option)]`.
    var attributes: [WooAttribute] = []
    var meta: [WooMeta] = []
    var statusBeforeTrash = "publish"

    var isVariation: Bool { parentID != 0 }
    var price: String { salePrice.isEmpty ? regularPrice : salePrice }
}

struct WooAttribute: Sendable, Hashable, Codable {
    var name: String
    var options: [String]
}

struct WooTaxRate: Sendable, Hashable, Codable {
    var id: Int
    var country: String
    var state = ""
    var postcode = ""
    var city = ""
    var rate: ExactDecimal
    var name: String
    var priority = 1
    var compound = false
    var shipping = true
    var order = 0
    var taxClass = "standard"

    var rateCode: String {
        var parts = [country.isEmpty ? "" : country]
        if !state.isEmpty { parts.append(state) }
        parts.append(name.isEmpty ? "TAX" : name)
        parts.append(String(priority))
        return parts.filter { !$0.isEmpty }.joined(separator: "-").uppercased()
    }
}

struct WooLineItem: Sendable, Hashable, Codable {
    var id: Int
    var name: String
    var productID: Int
    var variationID: Int
    var quantity: Int
    var taxClass = ""
    var sku: String
    /// Unit price before discounts, excluding tax.
    var price: ExactDecimal
    var subtotal: ExactDecimal
    var subtotalTax: ExactDecimal
    var total: ExactDecimal
    var totalTax: ExactDecimal
    var taxRateID: Int?
    var meta: [WooMeta] = []
}

struct WooShippingLine: Sendable, Hashable, Codable {
    var id: Int
    var methodTitle: String
    var methodID: String
    var total: ExactDecimal
    var totalTax: ExactDecimal
    var taxRateID: Int?
}

struct WooFeeLine: Sendable, Hashable, Codable {
    var id: Int
    var name: String
    var taxStatus: String
    var total: ExactDecimal
    var totalTax: ExactDecimal
    var taxRateID: Int?
}

struct WooCouponLine: Sendable, Hashable, Codable {
    var id: Int
    var code: String
    var discount: ExactDecimal
    var discountTax: ExactDecimal
}

struct WooRefundLine: Sendable, Hashable, Codable {
    var id: Int
    var lineItemID: Int
    var quantity: Int
    var refundTotal: ExactDecimal
    var refundTax: ExactDecimal
}

struct WooRefundRecord: Sendable, Hashable, Codable {
    var id: Int
    var created: Int64
    var amount: ExactDecimal
    var reason: String
    var lines: [WooRefundLine]
}

struct WooOrderRecord: Sendable, Hashable, Codable {
    var id: Int
    var orderKey: String
    var status: String
    var currency: String
    var created: Int64
    var modified: Int64
    var paid: Int64?
    var completed: Int64?
    var pricesIncludeTax: Bool
    var customerID: Int
    var billing = WooAddress()
    var shipping = WooAddress()
    var paymentMethod = "bacs"
    var paymentMethodTitle = "Transferencia bancaria directa"
    var transactionID = ""
    var customerNote = ""
    var createdVia = "checkout"
    var lineItems: [WooLineItem] = []
    var shippingLines: [WooShippingLine] = []
    var feeLines: [WooFeeLine] = []
    var couponLines: [WooCouponLine] = []
    var refunds: [WooRefundRecord] = []
    var meta: [WooMeta] = []
    var stockReduced = false

    var refundedTotal: ExactDecimal { refunds.reduce(ExactDecimal.zero) { $0 + $1.amount } }
}

struct WooWebhookRecord: Sendable, Hashable, Codable {
    var id: Int
    var name: String
    var status: String
    var topic: String
    var deliveryURL: String
    var secret: String
    var created: Int64
    var modified: Int64
    var failureCount = 0

    var resource: String { String(topic.split(separator: ".").first ?? "") }
    var event: String { String(topic.split(separator: ".").dropFirst().first ?? "") }
}

/// A webhook delivery waiting in the emulator's queue; its payload is built when it is handed out.
struct WooPendingDelivery: Sendable, Hashable {
    var webhookID: Int
    var topic: String
    var resourceID: Int
    var deliveryID: String
    var dueAt: Int64
    var sequence: Int
    var isPing: Bool
    var duplicate: Bool
    var operation: Int
}
