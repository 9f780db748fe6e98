import Foundation
import SyncCore

extension ShopifyAPI {
    /// `GET customers.json?limit=&updated_at_min=&fields=` — the first page of an incremental scan.
    public func customers(limit: Int = ShopifyAPI.maxPageSize, updatedAtMin: Int64? = nil, fields: [String]? = nil) -> StoreRequest {
        get("customers", listQuery(limit: limit, filters: ShopifyAPI.timeFilter("updated_at_min", updatedAtMin), fields: fields))
    }

    /// The following page of any customer list, from ``ShopifyPage/nextPageInfo(from:)``.
    public func customersPage(pageInfo: String, limit: Int = ShopifyAPI.maxPageSize, fields: [String]? = nil) -> StoreRequest {
        get("customers", pageQuery(pageInfo: pageInfo, limit: limit, fields: fields))
    }

    /// `GET customers/count.json[?updated_at_min=]`.
    public func customersCount(updatedAtMin: Int64? = nil) -> StoreRequest {
        get("customers/count", ShopifyAPI.timeFilter("updated_at_min", updatedAtMin))
    }

    /// `GET customers/{id}.json`.
    public func customer(id: String) -> StoreRequest { get("customers/\(id)") }

    /// `GET customers/search.json?query=email:{email}` — the e-mail is normalized first.
    public func searchCustomers(email: String) -> StoreRequest {
        let e = ContactRecord.normalizedEmail(email) ?? email
        return get("customers/search", [QueryItem("query", "email:\(e)")])
    }

    /// `POST customers.json` with every set field of `contact` and, when given, our marker metafield.
    public func createCustomer(_ contact: ContactRecord, marker: EntityID? = nil) -> StoreRequest {
        var c = customerFields(contact, fields: Set(ContactRecord.fieldKeys(for: .shopify)), includeNulls: false)
        if let marker { c["metafields"] = [ShopifyAPI.markerMetafield(marker)] }
        return send(.post, "customers", ["customer": .object(c)])
    }

    /// `PUT customers/{id}.json` sending only the given canonical `fields` of `contact` (unset → null).
    ///
    /// `company` and `address` travel together in the customer's default address, so changing either
    /// sends the whole address (with its ``ContactRecord/remoteAddressID``, so Shopify edits it rather
    /// than adding a second one). Example: `{"customer":{"id":1,"phone":"+5215512345678"}}`.
    public func updateCustomer(_ contact: ContactRecord, fields: Set<FieldKey>) -> StoreRequest {
        var c = customerFields(contact, fields: fields, includeNulls: true)
        c["id"] = RequestBody.id(contact.remoteID)
        return send(.put, "customers/\(contact.remoteID)", ["customer": .object(c)])
    }

    /// `DELETE customers/{id}.json`.
    public func deleteCustomer(id: String) -> StoreRequest { delete("customers/\(id)") }

    /// `GET customers/{id}/metafields.json` — where our marker lives.
    public func customerMetafields(customerID: String) -> StoreRequest {
        get("customers/\(customerID)/metafields", [QueryItem("namespace", ShopifyAPI.markerNamespace)])
    }

    /// `POST customers/{id}/metafields.json` writing our marker (namespace `oorden`, key `entity_id`).
    public func setCustomerMarker(customerID: String, marker: EntityID) -> StoreRequest {
        send(.post, "customers/\(customerID)/metafields", ["metafield": ShopifyAPI.markerMetafield(marker)])
    }

    func customerFields(_ contact: ContactRecord, fields: Set<FieldKey>, includeNulls: Bool) -> [String: JSONValue] {
        var c: [String: JSONValue] = [:]
        func put(_ key: String, _ value: String?) {
            if value != nil || includeNulls { c[key] = RequestBody.text(value) }
        }
        if fields.contains(.email) { put("email", contact.email) }
        if fields.contains(.firstName) { put("first_name", contact.firstName) }
        if fields.contains(.lastName) { put("last_name", contact.lastName) }
        if fields.contains(.phone) { put("phone", contact.phone) }
        if fields.contains(.note) { put("note", contact.note) }
        if fields.contains(.address) || fields.contains(.company) {
            var a = ShopifyAPI.addressFields(contact.address ?? PostalAddress())
            a["company"] = RequestBody.text(contact.company)
            a["default"] = true
            if let addressID = contact.remoteAddressID { a["id"] = RequestBody.id(addressID) }
            if contact.address != nil || contact.company != nil || includeNulls { c["addresses"] = [.object(a)] }
        }
        return c
    }

    /// A canonical address as Shopify address fields (`address1`, `province_code`, `zip`, …).
    static func addressFields(_ a: PostalAddress) -> [String: JSONValue] {
        var o: [String: JSONValue] = [
            "address1": RequestBody.text(a.line1), "address2": RequestBody.text(a.line2), "city": RequestBody.text(a.city),
            "province_code": RequestBody.text(a.region), "zip": RequestBody.text(a.postalCode),
            "country_code": RequestBody.text(a.countryCode), "phone": RequestBody.text(a.phone),
        ]
        if let f = a.firstName { o["first_name"] = .string(f) }
        if let l = a.lastName { o["last_name"] = .string(l) }
        if let c = a.company { o["company"] = .string(c) }
        return o
    }
}
