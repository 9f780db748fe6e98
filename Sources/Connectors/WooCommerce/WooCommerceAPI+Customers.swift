import Foundation
import SyncCore

extension WooCommerceAPI {
    /// `GET customers?page=&per_page=&orderby=id&order=asc[&email=]` — customers have no
    /// `modified_after`, so reconciliation is a full scan by id.
    public func customers(page: Int = 1, perPage: Int = WooCommerceAPI.maxPageSize, email: String? = nil) -> StoreRequest {
        var q = WooCommerceAPI.paging(page, perPage) + [QueryItem("orderby", "id"), QueryItem("order", "asc")]
        if let email { q.append(QueryItem("email", ContactRecord.normalizedEmail(email) ?? email)) }
        // WooCommerce lists only role=customer by default; synced contacts may have other roles.
        q.append(QueryItem("role", "all"))
        return get("customers", q)
    }

    /// `GET customers?email=` (normalized), the natural-key search before a create.
    public func customers(email: String) -> StoreRequest {
        customers(page: 1, perPage: 10, email: email)
    }

    /// `GET customers/{id}`.
    public func customer(id: String) -> StoreRequest { get("customers/\(id)") }

    /// `POST customers` with every set field of `contact` and, when given, our marker in `meta_data`.
    public func createCustomer(_ contact: ContactRecord, marker: EntityID? = nil) -> StoreRequest {
        var c = customerFields(contact, fields: Set(ContactRecord.fieldKeys(for: .woocommerce)), includeEmpty: false)
        if let marker { c["meta_data"] = [WooCommerceAPI.markerMeta(marker)] }
        return send(.post, "customers", .object(c))
    }

    /// `PUT customers/{id}` sending only the given canonical `fields` (`phone`, `company` and
    /// `address` live in `billing`; unset values are sent as `""`, WooCommerce's "empty").
    public func updateCustomer(_ contact: ContactRecord, fields: Set<FieldKey>) -> StoreRequest {
        send(.put, "customers/\(contact.remoteID)", .object(customerFields(contact, fields: fields, includeEmpty: true)))
    }

    /// `PUT customers/{id} {"meta_data": [{"key": "_oorden_entity_id", "value"}]}`.
    public func setCustomerMarker(customerID: String, marker: EntityID) -> StoreRequest {
        send(.put, "customers/\(customerID)", ["meta_data": [WooCommerceAPI.markerMeta(marker)]])
    }

    /// `DELETE customers/{id}?force=true` (customers cannot be trashed).
    public func deleteCustomer(id: String) -> StoreRequest {
        StoreRequest(method: .delete, path: path("customers/\(id)"), query: [QueryItem("force", "true")], headers: ["Accept": "application/json"])
    }

    func customerFields(_ contact: ContactRecord, fields: Set<FieldKey>, includeEmpty: Bool) -> [String: JSONValue] {
        var c: [String: JSONValue] = [:]
        var billing: [String: JSONValue] = [:]
        func text(_ s: String?) -> JSONValue? {
            if let s { return .string(s) }
            return includeEmpty ? .string("") : nil
        }
        if fields.contains(.email) {
            c["email"] = text(contact.email)
            billing["email"] = text(contact.email)
        }
        if fields.contains(.firstName) {
            c["first_name"] = text(contact.firstName)
            billing["first_name"] = text(contact.firstName)
        }
        if fields.contains(.lastName) {
            c["last_name"] = text(contact.lastName)
            billing["last_name"] = text(contact.lastName)
        }
        if fields.contains(.phone) { billing["phone"] = text(contact.phone) }
        if fields.contains(.company) { billing["company"] = text(contact.company) }
        if fields.contains(.address) {
            let a = contact.address ?? PostalAddress()
            for (k, v) in WooCommerceAPI.addressFields(a, includeEmpty: includeEmpty) where !["first_name", "last_name", "company", "phone"].contains(k) {
                billing[k] = v
            }
        }
        if !billing.isEmpty { c["billing"] = .object(billing) }
        return c
    }

    /// A canonical address as WooCommerce fields (`address_1`, `state`, `postcode`, `country`, …).
    static func addressFields(_ a: PostalAddress, includeEmpty: Bool = true) -> [String: JSONValue] {
        let pairs: [(String, String?)] = [
            ("first_name", a.firstName), ("last_name", a.lastName), ("company", a.company), ("address_1", a.line1),
            ("address_2", a.line2), ("city", a.city), ("state", a.region), ("postcode", a.postalCode),
            ("country", a.countryCode), ("phone", a.phone),
        ]
        var o: [String: JSONValue] = [:]
        for (k, v) in pairs {
            if let v { o[k] = .string(v) } else if includeEmpty { o[k] = .string("") }
        }
        return o
    }
}
