import Foundation
import SyncCore

/// Customers, their addresses and metafields.
extension ShopifyShop {
    func sortedCustomers(_ q: ShopifyListQuery) throws -> [ShopifyCustomer] {
        try customers.values.sorted { $0.id < $1.id }.filter { try passesCommonFilters(q, id: $0.id, createdAt: $0.createdAt, updatedAt: $0.updatedAt) }
    }

    func listCustomers(_ request: StoreRequest) throws -> StoreResponse {
        let q = try listQuery(request)
        return page(try sortedCustomers(q), id: \.id, render: { customerJSON($0) }, q, root: "customers", request: request)
    }

    func countCustomers(_ request: StoreRequest) throws -> JSONValue {
        let q = try listQuery(request)
        return ["count": .integer(try sortedCustomers(q).count)]
    }

    /// `customers/search.json?query=email:x@y` — `field:value` terms (email, phone, first_name,
    /// last_name, tag) and free words, all of which must match; e-mail compares case-insensitively.
    func searchCustomers(_ request: StoreRequest) throws -> StoreResponse {
        let query = (request.queryValue("query") ?? "").trimmingCharacters(in: .whitespaces)
        var limit = 50
        if let raw = request.queryValue("limit") {
            guard let l = Int(raw), (1...250).contains(l) else { throw Self.badParameter("limit", "must be an integer between 1 and 250") }
            limit = l
        }
        let terms = query.split(separator: " ").map(String.init)
        let matches = customers.values.sorted { $0.id < $1.id }.filter { c in
            terms.allSatisfy { term in
                let parts = term.split(separator: ":", maxSplits: 1).map(String.init)
                if parts.count == 2 {
                    let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"'")).lowercased()
                    switch parts[0].lowercased() {
                    case "email": return c.email?.lowercased() == value
                    case "phone": return c.phone == value || c.phone == (try? Self.normalizedPhone(value))
                    case "first_name": return c.firstName?.lowercased() == value
                    case "last_name": return c.lastName?.lowercased() == value
                    case "tag": return c.tags.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.contains(value)
                    case "id": return String(c.id) == value
                    default: return false
                    }
                }
                let word = term.lowercased()
                return [c.email, c.firstName, c.lastName, c.phone, c.note].compactMap { $0?.lowercased() }.contains { $0.contains(word) }
            }
        }
        let fields = request.queryValue("fields").map { $0.split(separator: ",").map(String.init) }
        return .json(200, ["customers": .array(matches.prefix(limit).map { Self.selectFields(customerJSON($0), fields) })])
    }

    func getCustomer(_ id: Int) throws -> JSONValue {
        guard let c = customers[id] else { throw Self.notFound() }
        return customerJSON(c)
    }

    mutating func createCustomer(_ input: [String: JSONValue]) throws -> JSONValue {
        let t = now
        var c = ShopifyCustomer(id: newID(), createdAt: t, updatedAt: t)
        try apply(input, to: &c, creating: true)
        var metafields: [ShopifyMetafield] = []
        if let list = input["metafields"] {
            guard let array = list.array else { throw Self.unprocessable("metafields", "is invalid") }
            for m in array {
                guard let o = m.object else { throw Self.unprocessable("metafields", "is invalid") }
                metafields.append(try makeMetafield(o, existing: metafields))
            }
        }
        c.metafields = metafields
        customers[c.id] = c
        let json = customerJSON(c)
        emit("customers/create", json)
        return json
    }

    mutating func updateCustomer(_ id: Int, _ input: [String: JSONValue]) throws -> JSONValue {
        guard var c = customers[id] else { throw Self.notFound() }
        let before = c
        try apply(input, to: &c, creating: false)
        if let list = input["metafields"]?.array {
            for m in list {
                guard let o = m.object else { throw Self.unprocessable("metafields", "is invalid") }
                let mf = try makeMetafield(o, existing: c.metafields)
                c.metafields.removeAll { $0.namespace == mf.namespace && $0.key == mf.key }
                c.metafields.append(mf)
            }
        }
        if c != before {
            c.updatedAt = now
            customers[id] = c
            let json = customerJSON(c)
            emit("customers/update", json)
            return json
        }
        return customerJSON(c)
    }

    mutating func deleteCustomer(_ id: Int) throws {
        guard customers[id] != nil else { throw Self.notFound() }
        if orders.values.contains(where: { $0.customerID == id }) {
            throw ShopifyEmulatorError(
                code: "unprocessable", message: "a customer with orders cannot be deleted; disable the account instead", status: 422,
                body: ["errors": ["base": ["Error deleting customer: customer has orders"]]])
        }
        customers[id] = nil
        emit("customers/delete", ["id": .integer(id), "phone": .null, "addresses": [], "tax_exemptions": [], "email_marketing_consent": .null, "sms_marketing_consent": .null, "admin_graphql_api_id": gid("Customer", id)])
    }

    /// Applies the writable customer fields, validating like Shopify (uniqueness, formats).
    private mutating func apply(_ input: [String: JSONValue], to c: inout ShopifyCustomer, creating: Bool) throws {
        if let v = try Self.optionalString(input, "email") {
            let email = v?.trimmingCharacters(in: .whitespaces).lowercased()
            if let email, !email.isEmpty {
                guard Self.isValidEmail(email) else { throw Self.unprocessable("email", "is invalid") }
                if customers.values.contains(where: { $0.id != c.id && $0.email?.lowercased() == email }) {
                    throw Self.unprocessable("email", "has already been taken")
                }
                c.email = email
            } else {
                c.email = nil
            }
        }
        if let v = try Self.optionalString(input, "phone") {
            if let raw = v, !raw.isEmpty {
                let phone = try Self.normalizedPhone(raw)
                if customers.values.contains(where: { $0.id != c.id && $0.phone == phone }) {
                    throw Self.unprocessable("phone", "has already been taken")
                }
                c.phone = phone
            } else {
                c.phone = nil
            }
        }
        if let v = try Self.optionalString(input, "first_name") { c.firstName = v }
        if let v = try Self.optionalString(input, "last_name") { c.lastName = v }
        if let v = try Self.optionalString(input, "note") { c.note = v }
        if let v = input["tags"] { c.tags = try Self.normalizedTags(v) }
        if let v = try Self.optionalBool(input, "tax_exempt") { c.taxExempt = v }
        if let v = try Self.optionalBool(input, "verified_email") { c.verifiedEmail = v }
        if let v = try Self.optionalBool(input, "accepts_marketing") { c.acceptsMarketing = v }
        if let v = try Self.optionalString(input, "state"), let s = v {
            guard ["disabled", "invited", "enabled", "declined"].contains(s) else { throw Self.unprocessable("state", "is not included in the list") }
            c.state = s
        }
        if let list = input["addresses"] {
            guard let array = list.array else { throw Self.unprocessable("addresses", "is invalid") }
            var out: [[String: JSONValue]] = []
            for (i, a) in array.enumerated() {
                guard let o = a.object else { throw Self.unprocessable("addresses", "is invalid") }
                let existingID = o["id"]?.int.flatMap { id in c.addresses.contains { $0["id"]?.int == id } ? id : nil }
                out.append(makeAddress(o, id: existingID ?? newID(), customerID: c.id, isDefault: i == 0))
            }
            c.addresses = out
        }
        if creating {
            let hasName = !(c.firstName ?? "").isEmpty || !(c.lastName ?? "").isEmpty
            if c.email == nil && c.phone == nil && !hasName {
                throw Self.unprocessable("customer", "must have a name, phone number or email address")
            }
        }
    }

    /// An address object with every key Shopify renders.
    func makeAddress(_ o: [String: JSONValue], id: Int?, customerID: Int?, isDefault: Bool) -> [String: JSONValue] {
        func s(_ k: String) -> JSONValue { o[k].flatMap { $0.shopifyText }.map { .string($0) } ?? .null }
        let first = o["first_name"]?.string, last = o["last_name"]?.string
        var a: [String: JSONValue] = [
            "first_name": s("first_name"), "last_name": s("last_name"), "company": s("company"), "address1": s("address1"),
            "address2": s("address2"), "city": s("city"), "province": s("province"), "country": o["country"].map { _ in s("country") } ?? "Mexico",
            "zip": s("zip"), "phone": s("phone"), "name": .string([first, last].compactMap { $0 }.joined(separator: " ")),
            "province_code": s("province_code"), "country_code": o["country_code"].map { _ in s("country_code") } ?? "MX",
            "country_name": o["country"].map { _ in s("country") } ?? "Mexico", "latitude": .null, "longitude": .null,
        ]
        if let id {
            a["id"] = .integer(id)
            a["default"] = .bool(isDefault)
        }
        if let customerID { a["customer_id"] = .integer(customerID) }
        return a
    }

    // MARK: Metafields

    mutating func makeMetafield(_ o: [String: JSONValue], existing: [ShopifyMetafield]) throws -> ShopifyMetafield {
        guard let namespace = o["namespace"]?.string, !namespace.isEmpty else { throw Self.unprocessable("namespace", "can't be blank") }
        guard let key = o["key"]?.string, !key.isEmpty else { throw Self.unprocessable("key", "can't be blank") }
        guard let value = o["value"]?.shopifyText else { throw Self.unprocessable("value", "can't be blank") }
        let type = o["type"]?.string ?? o["value_type"].flatMap { $0.string == "integer" ? "number_integer" : "single_line_text_field" } ?? "single_line_text_field"
        let t = now
        if let old = existing.first(where: { $0.namespace == namespace && $0.key == key }) {
            return ShopifyMetafield(id: old.id, namespace: namespace, key: key, value: value, type: type, createdAt: old.createdAt, updatedAt: t)
        }
        return ShopifyMetafield(id: newID(), namespace: namespace, key: key, value: value, type: type, createdAt: t, updatedAt: t)
    }

    func listMetafields(owner: String, id: Int, request: StoreRequest) throws -> JSONValue {
        let list: [ShopifyMetafield]
        if owner == "customers" {
            guard let c = customers[id] else { throw Self.notFound() }
            list = c.metafields
        } else {
            guard let p = products[id] else { throw Self.notFound() }
            list = p.metafields
        }
        let ns = request.queryValue("namespace"), key = request.queryValue("key")
        let resource = owner == "customers" ? "customer" : "product"
        return ["metafields": .array(list.filter { (ns == nil || $0.namespace == ns) && (key == nil || $0.key == key) }.sorted { $0.id < $1.id }
            .map { metafieldJSON($0, ownerID: id, ownerResource: resource) })]
    }

    /// Creates a metafield, or updates the one with the same namespace and key.
    mutating func upsertMetafield(owner: String, id: Int, _ input: [String: JSONValue]) throws -> JSONValue {
        if owner == "customers" {
            guard var c = customers[id] else { throw Self.notFound() }
            let m = try makeMetafield(input, existing: c.metafields)
            c.metafields.removeAll { $0.id == m.id }
            c.metafields.append(m)
            customers[id] = c
            return ["metafield": metafieldJSON(m, ownerID: id, ownerResource: "customer")]
        }
        guard var p = products[id] else { throw Self.notFound() }
        let m = try makeMetafield(input, existing: p.metafields)
        p.metafields.removeAll { $0.id == m.id }
        p.metafields.append(m)
        products[id] = p
        return ["metafield": metafieldJSON(m, ownerID: id, ownerResource: "product")]
    }
}
