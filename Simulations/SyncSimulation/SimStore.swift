import Connectors
import StoreEmulators
import SyncCore

/// One emulated store as the simulator's merchant sees it: find records by e-mail/SKU, edit them
/// through the emulator's merchant actions, and read them back as canonical records.
enum SimStore: Sendable {
    case shopify(ShopifyEmulator)
    case woo(WooCommerceEmulator)

    var kind: StoreKind {
        switch self {
        case .shopify: .shopify
        case .woo: .woocommerce
        }
    }

    var faults: FaultPlan {
        get {
            switch self {
            case .shopify(let s): s.faults
            case .woo(let w): w.faults
            }
        }
        nonmutating set {
            switch self {
            case .shopify(let s): s.faults = newValue
            case .woo(let w): w.faults = newValue
            }
        }
    }

    // MARK: Reading

    /// Every customer as (remote id, canonical record); unreadable ones are skipped.
    func contacts() -> [(id: Int, record: ContactRecord)] {
        switch self {
        case .shopify(let s): s.customers().compactMap { j in j["id"]?.int.flatMap { id in (try? ShopifyAPI.contact(json: j)).map { (id, $0) } } }
        case .woo(let w): w.customers().compactMap { j in j["id"]?.int.flatMap { id in (try? WooCommerceAPI.contact(json: j)).map { (id, $0) } } }
        }
    }

    /// Every sellable SKU as (product id, variant id, canonical record).
    func products() -> [(productID: Int, variantID: Int?, record: ProductRecord)] {
        switch self {
        case .shopify(let s):
            return s.products().flatMap { p -> [(Int, Int?, ProductRecord)] in
                guard let pid = p["id"]?.int, let records = try? ShopifyAPI.productRecords(product: p) else { return [] }
                return records.map { (pid, $0.remoteVariantID.flatMap { Int($0) }, $0) }
            }
        case .woo(let w):
            // Trashed products are what the merchant deleted; the store lists them only under `status=trash`.
            return w.products().flatMap { p -> [(Int, Int?, ProductRecord)] in
                guard let pid = p["id"]?.int, p["status"]?.string != "trash" else { return [] }
                let variations = WooCommerceAPI.isVariable(p) ? w.variations(productID: pid) : []
                guard let records = try? WooCommerceAPI.productRecords(product: p, variations: variations) else { return [] }
                return records.map { (pid, $0.remoteVariantID.flatMap { Int($0) }, $0) }
            }
        }
    }

    func contact(email: String) -> Int? {
        contacts().first { ContactRecord.normalizedEmail($0.record.email) == email }?.id
    }

    func product(sku: String) -> (productID: Int, variantID: Int?)? {
        products().first { $0.record.sku == sku }.map { ($0.productID, $0.variantID) }
    }

    // MARK: Merchant actions (throw when the store refuses)

    func createContact(email: String, first: String, last: String, phone: String?) throws {
        switch self {
        case .shopify(let s): _ = try s.createCustomer(email: email, firstName: first, lastName: last, phone: phone)
        case .woo(let w): _ = try w.createCustomer(email: email, firstName: first, lastName: last, billing: phone.map { ["phone": $0] } ?? [:])
        }
    }

    func editContact(id: Int, field: String, value: String) throws {
        switch self {
        case .shopify(let s): _ = try s.updateCustomer(id: id, .object([field: .string(value)]))
        case .woo(let w):
            try w.editCustomer(id, field == "phone" ? .object(["billing": .object(["phone": .string(value)])]) : .object([field: .string(value)]))
        }
    }

    func deleteContact(id: Int) throws {
        switch self {
        case .shopify(let s): try s.deleteCustomer(id: id)
        case .woo(let w): try w.deleteCustomer(id)
        }
    }

    /// Creates a product with one SKU whose stock is tracked, starting at `stock`.
    func createProduct(sku: String?, name: String, price: String, stock: Int) throws {
        switch self {
        case .shopify(let s):
            _ = try s.createProduct(title: name, variants: [ShopifyVariantInput(sku: sku, price: try ExactDecimal(price), stock: stock)])
        case .woo(let w):
            var fields: [String: JSONValue] = ["name": .string(name), "type": "simple", "regular_price": .string(price),
                                               "manage_stock": true, "stock_quantity": .integer(stock)]
            if let sku { fields["sku"] = .string(sku) }
            _ = try w.createProduct(.object(fields))
        }
    }

    func editProduct(productID: Int, variantID: Int?, field: String, value: String) throws {
        switch self {
        case .shopify(let s):
            if field == "price", let variantID {
                _ = try s.updateVariant(id: variantID, ["price": .string(value)])
            } else {
                _ = try s.updateProduct(id: productID, ["title": .string(value)])
            }
        case .woo(let w):
            try w.editProduct(productID, .object([field == "price" ? "regular_price" : "name": .string(value)]))
        }
    }

    func deleteProduct(productID: Int) throws {
        switch self {
        case .shopify(let s): try s.deleteProduct(id: productID)
        case .woo(let w): try w.trashProduct(productID)
        }
    }
}
