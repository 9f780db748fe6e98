import Crypto
import Foundation
import SyncCore

extension WooCommerceSite {
    func customerJSON(_ c: WooCustomerRecord) -> JSONValue {
        var o: [String: JSONValue] = [
            "id": .integer(c.id), "email": .string(c.email), "first_name": .string(c.firstName), "last_name": .string(c.lastName),
            "role": "customer", "username": .string(c.username),
            "billing": c.billing.json(keys: WooAddress.billingKeys), "shipping": c.shipping.json(keys: WooAddress.shippingKeys),
            "is_paying_customer": .bool(c.isPayingCustomer), "avatar_url": .string(Self.avatarURL(c.email)),
            "meta_data": metaJSON(c.meta), "_links": link("customers/\(c.id)"),
        ]
        for (k, v) in dates("date_created", c.created) + dates("date_modified", c.modified) { o[k] = v }
        return .object(o)
    }

    static func avatarURL(_ email: String) -> String {
        let digest = Insecure.MD5.hash(data: Data(email.trimmingCharacters(in: .whitespaces).lowercased().utf8))
        return "https://secure.gravatar.com/avatar/" + digest.map { String(format: "%02x", $0) }.joined() + "?s=96&d=mm&r=g"
    }

    static func isValidEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && !email.contains(" ")
    }

    func listCustomers(_ query: WooQuery) throws -> [JSONValue] {
        let orderby = try query.oneOf("orderby", ["id", "include", "name", "registered_date"], default: "name")
        let desc = try query.oneOf("order", ["asc", "desc"], default: "asc") == "desc"
        var rows = Array(customers.values)
        if let email = query.value("email"), !email.isEmpty {
            let wanted = email.lowercased()
            rows = rows.filter { $0.email.lowercased() == wanted }
        }
        if let include = query.list("include")?.compactMap(Int.init) { rows = rows.filter { include.contains($0.id) } }
        if let exclude = query.list("exclude")?.compactMap(Int.init) { rows = rows.filter { !exclude.contains($0.id) } }
        if let search = query.value("search"), !search.isEmpty {
            let s = search.lowercased()
            rows = rows.filter { $0.email.lowercased().contains(s) || $0.username.lowercased().contains(s) || "\($0.firstName) \($0.lastName)".lowercased().contains(s) }
        }
        switch orderby {
        case "id", "include": rows = ordered(rows, desc: desc, id: \.id) { _ in "" }
        case "registered_date": rows = ordered(rows, desc: desc, id: \.id) { String(format: "%015lld", $0.created) }
        default: rows = ordered(rows, desc: desc, id: \.id) { "\($0.firstName) \($0.lastName)".lowercased() }
        }
        return rows.map(customerJSON)
    }

    func uniqueUsername(for email: String) -> String {
        let local = email.split(separator: "@").first.map(String.init) ?? "customer"
        let base = String(local.lowercased().filter { $0.isLetter || $0.isNumber || ".-_".contains($0) }).isEmpty ? "customer" : String(local.lowercased().filter { $0.isLetter || $0.isNumber || ".-_".contains($0) })
        var candidate = base
        var n = 1
        while customers.values.contains(where: { $0.username == candidate }) {
            n += 1
            candidate = "\(base)\(n)"
        }
        return candidate
    }

    mutating func createCustomer(_ params: WooParams) throws -> Int {
        if params.has("id") {
            throw WooCommerceEmulatorError(code: "woocommerce_rest_customer_exists", message: "Cannot create existing resource.", status: 400)
        }
        guard let email = try params.string("email"), !email.isEmpty else { throw WooParams.missing("email") }
        guard Self.isValidEmail(email) else { throw WooParams.invalid("email", "Invalid email address.") }
        if customers.values.contains(where: { $0.email.lowercased() == email.lowercased() }) {
            throw WooCommerceEmulatorError(code: "registration-error-email-exists", message: "An account is already registered with your email address. <a href=\"#\" class=\"showlogin\">Please log in.</a>", status: 400)
        }
        var username = uniqueUsername(for: email)
        if let requested = try params.string("username"), !requested.isEmpty {
            if customers.values.contains(where: { $0.username == requested }) {
                throw WooCommerceEmulatorError(code: "registration-error-username-exists", message: "An account is already registered with that username. Please choose another.", status: 400)
            }
            username = requested
        }
        let id = takeUserID()
        var customer = WooCustomerRecord(id: id, created: now, modified: now, email: email, username: username)
        try applyCustomerFields(params, to: &customer)
        customers[id] = customer
        fire("customer", "created", id: id)
        return id
    }

    private mutating func applyCustomerFields(_ params: WooParams, to customer: inout WooCustomerRecord) throws {
        if let v = try params.string("first_name") { customer.firstName = v }
        if let v = try params.string("last_name") { customer.lastName = v }
        try params.address("billing", into: &customer.billing, keys: WooAddress.billingKeys)
        try params.address("shipping", into: &customer.shipping, keys: WooAddress.shippingKeys)
        if let meta = params.body["meta_data"] { try applyMeta(meta, to: &customer.meta) }
    }

    mutating func updateCustomer(_ id: Int, _ params: WooParams) throws {
        guard var customer = customers[id] else { throw Self.invalidID(.customers) }
        if let email = try params.string("email"), email != customer.email {
            guard Self.isValidEmail(email) else { throw WooParams.invalid("email", "Invalid email address.") }
            if customers.values.contains(where: { $0.id != id && $0.email.lowercased() == email.lowercased() }) {
                throw WooCommerceEmulatorError(code: "woocommerce_rest_customer_invalid_email", message: "Email address is invalid.", status: 400)
            }
            customer.email = email
        }
        if let username = try params.string("username"), username != customer.username {
            throw WooCommerceEmulatorError(code: "woocommerce_rest_customer_invalid_argument", message: "Username isn't editable.", status: 400)
        }
        try applyCustomerFields(params, to: &customer)
        customer.modified = now
        customers[id] = customer
        fire("customer", "updated", id: id)
    }

    mutating func deleteCustomer(_ id: Int, force: Bool) throws -> JSONValue {
        guard force else { throw Self.trashNotSupported("Customers") }
        guard let customer = customers[id] else { throw Self.invalidID(.customers) }
        let body = customerJSON(customer)
        customers[id] = nil
        fire("customer", "deleted", id: id)
        return body
    }
}
