import Foundation
internal import GraphQL
import SyncCore

/// `customerCreate`, `customerUpdate` and `metafieldsSet`, through the REST-side customer,
/// product and metafield functions (their validation, `updated_at` and webhooks).
extension ShopifyGraphQLMutations {
    /// `customerCreate(input:)` / `customerUpdate(input:)` → `{ customer userErrors }`.
    func customerSave(_ args: Map, creating: Bool) -> ShopifyGraphQLObject {
        let input = ShopifyGraphQLInput.object(args["input"])
        let result = attempt { s -> Int in
            let fields = Self.customerFields(input)
            if creating { return try s.createCustomer(fields)["id"]?.int ?? 0 }
            guard let id = ShopifyGlobalID.parse(input["id"]?.string, type: "Customer"), s.customers[id] != nil else {
                throw ShopifyUserError(["id"], "Customer does not exist")
            }
            _ = try s.updateCustomer(id, fields)
            return id
        }
        let view = self.view
        return .values([
            "customer": (try? result.get()).flatMap { view.shop.customers[$0] }.map(view.customer),
            "userErrors": Self.objects(result),
        ])
    }

    /// `customerAddressCreate` / `customerAddressUpdate` (2025-07 on) → `{ address userErrors }`,
    /// through the REST customer update with the customer's whole address list (REST replaces the
    /// list): the other addresses are kept, the edited one keeps its id; `setAsDefault` makes it the
    /// default and the others not.
    func customerAddressSave(_ args: Map, creating: Bool) -> ShopifyGraphQLObject {
        let input = (Self.addressFields(ShopifyGraphQLInput.object(args["address"])).object ?? [:])
        let makeDefault = args["setAsDefault"].bool ?? false
        let result = attempt { s -> (customer: Int, address: Int?) in
            guard let id = ShopifyGlobalID.parse(args["customerId"].string, type: "Customer"), let customer = s.customers[id] else {
                throw ShopifyUserError(["customerId"], "Customer does not exist")
            }
            let target = creating ? nil : ShopifyGlobalID.parse(args["addressId"].string, type: "MailingAddress")
            if !creating, !customer.addresses.contains(where: { $0["id"]?.int == target }) {
                throw ShopifyUserError(["addressId"], "Address does not exist")
            }
            var list: [JSONValue] = customer.addresses.map { a in
                var a = a
                if a["id"]?.int == target { a.merge(input) { _, new in new } }
                if makeDefault { a["default"] = .bool(a["id"]?.int == target) }
                return .object(a)
            }
            if creating {
                var added = input
                added["default"] = .bool(makeDefault || customer.addresses.isEmpty)
                list.append(.object(added))
            }
            _ = try s.updateCustomer(id, ["addresses": .array(list)])
            let saved = s.customers[id]?.addresses
            return (id, creating ? saved?.compactMap { $0["id"]?.int }.max() : target)
        }
        let view = self.view
        let saved = try? result.get()
        let address = saved.flatMap { r in view.shop.customers[r.customer]?.addresses.first { $0["id"]?.int == r.address } }
        return .values(["address": address.map { view.address($0) }, "userErrors": Self.objects(result)])
    }

    /// `CustomerInput` as the REST customer body.
    static func customerFields(_ input: [String: JSONValue]) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for (from, to) in [("email", "email"), ("firstName", "first_name"), ("lastName", "last_name"), ("phone", "phone"), ("note", "note"),
                           ("tags", "tags"), ("taxExempt", "tax_exempt")] {
            ShopifyGraphQLInput.copy(input, from, to: to, into: &out)
        }
        if let list = input["addresses"] { out["addresses"] = .array((list.array ?? []).map { addressFields($0.object ?? [:]) }) }
        if let list = input["metafields"] { out["metafields"] = .array((list.array ?? []).map { metafieldFields($0.object ?? [:]) }) }
        return out
    }

    /// `MailingAddressInput` as a REST address (`id` keeps an existing customer address).
    static func addressFields(_ a: [String: JSONValue]) -> JSONValue {
        var out: [String: JSONValue] = [:]
        for (from, to) in [("address1", "address1"), ("address2", "address2"), ("city", "city"), ("company", "company"), ("countryCode", "country_code"),
                           ("firstName", "first_name"), ("lastName", "last_name"), ("phone", "phone"), ("provinceCode", "province_code"),
                           ("zip", "zip"), ("country", "country"), ("province", "province")] {
            ShopifyGraphQLInput.copy(a, from, to: to, into: &out)
        }
        if let id = ShopifyGlobalID.parse(a["id"]?.string, type: "MailingAddress") { out["id"] = .integer(id) }
        return .object(out)
    }

    /// `MetafieldInput` as a REST metafield.
    static func metafieldFields(_ m: [String: JSONValue]) -> JSONValue {
        var out: [String: JSONValue] = [:]
        for key in ["namespace", "key", "value", "type"] { ShopifyGraphQLInput.copy(m, key, to: key, into: &out) }
        return .object(out)
    }

    // MARK: metafieldsSet

    /// `metafieldsSet(metafields:)` → `{ metafields userErrors }`: all or nothing, at most 25,
    /// owners `Customer` and `Product`. A missing `namespace` is the app's (`$app`); `type` may be
    /// left out only when the metafield exists.
    func metafieldsSet(_ args: Map) -> ShopifyGraphQLObject {
        let list = (ShopifyGraphQLInput.json(args["metafields"])?.array ?? []).map { $0.object ?? [:] }
        let result: Result<[ShopifyMetafield], ShopifyUserErrors>
        if list.count > 25 {
            result = .failure(ShopifyUserErrors([ShopifyUserError(["metafields"], "Exceeded the maximum metafields input limit of 25.", code: "LESS_THAN_OR_EQUAL_TO")]))
        } else {
            result = attempt { s in try list.enumerated().map { i, m in try Self.setMetafield(m, index: i, in: &s) } }
        }
        let view = self.view
        return .values([
            "metafields": (try? result.get()).map { $0.map { view.metafieldObject($0) as (any Sendable)? } },
            "userErrors": Self.objects(result),
        ])
    }

    private static func setMetafield(_ m: [String: JSONValue], index i: Int, in s: inout ShopifyShop) throws -> ShopifyMetafield {
        let path = ["metafields", String(i)]
        func refuse(_ field: String, _ message: String, _ code: String) -> ShopifyUserError {
            var e = ShopifyUserError(path + [field], message, code: code)
            e.elementIndex = i
            return e
        }
        let ownerID = m["ownerId"]?.string ?? ""
        let owner: (rest: String, id: Int, existing: [ShopifyMetafield])
        if let id = ShopifyGlobalID.parse(ownerID, type: "Customer") {
            guard let c = s.customers[id] else { throw refuse("ownerId", "Owner does not exist.", "INVALID") }
            owner = ("customers", id, c.metafields)
        } else if let id = ShopifyGlobalID.parse(ownerID, type: "Product") {
            guard let p = s.products[id] else { throw refuse("ownerId", "Owner does not exist.", "INVALID") }
            owner = ("products", id, p.metafields)
        } else {
            throw refuse("ownerId", "The emulator keeps metafields on Customer and Product owners only.", "DISALLOWED_OWNER_TYPE")
        }
        var fields = metafieldFields(m).object ?? [:]
        let namespace = m["namespace"]?.string ?? "$app"
        fields["namespace"] = .string(namespace)
        let existing = owner.existing.first { $0.namespace == namespace && $0.key == m["key"]?.string }
        guard let type = m["type"]?.string ?? existing?.type else { throw refuse("type", "Type can't be blank", "BLANK") }
        fields["type"] = .string(type)
        if let problem = valueProblem(m["value"]?.string ?? "", type: type) { throw refuse("value", problem, "INVALID_VALUE") }
        do {
            let json = try s.upsertMetafield(owner: owner.rest, id: owner.id, fields)
            let id = json["metafield"]?["id"]?.int
            let all = owner.rest == "customers" ? s.customers[owner.id]?.metafields : s.products[owner.id]?.metafields
            guard let saved = all?.first(where: { $0.id == id }) else { throw refuse("key", "could not be saved", "INTERNAL_ERROR") }
            return saved
        } catch let error as ShopifyEmulatorError {
            var e = ShopifyUserError.from(error, prefix: path)[0]
            e.elementIndex = i
            e.code = "INVALID"
            throw e
        }
    }

    /// Shopify checks a value against its type; the emulator checks the scalar types.
    static func valueProblem(_ value: String, type: String) -> String? {
        switch type {
        case "number_integer": return Int(value) == nil ? "Value must be an integer." : nil
        case "number_decimal": return Double(value) == nil ? "Value must be a decimal number." : nil
        case "boolean": return value == "true" || value == "false" ? nil : "Value must be true or false."
        case "json": return (try? JSONValue.parse(Data(value.utf8))) == nil ? "Value must be valid JSON." : nil
        default: return nil
        }
    }
}
