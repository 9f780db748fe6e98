import Foundation
import SyncCore

/// The GraphQL mutations OordenSync sends, and the reading of their answers.
///
/// Every mutation answers HTTP 200; a refusal comes as `userErrors { field message }` in its payload.
/// ``payload(_:of:client:)`` turns those into a ``StoreAPIError`` with code `validation` — the driver
/// holds the record with Shopify's words — and returns the payload otherwise. Inputs use Shopify's
/// GraphQL names (`firstName`, `provinceCode`, `inventoryItem.sku`) and global ids.
package enum ShopifyGraphQLMutations {
    static let userErrors = "userErrors { field message }"

    /// Our marker as a `MetafieldInput` / `MetafieldsSetInput` (without `ownerId`).
    static func markerMetafield(_ marker: EntityID) -> JSONValue {
        ["namespace": "oorden", "key": "entity_id", "value": .string(marker.hex), "type": "single_line_text_field"]
    }

    // MARK: Customers

    /// `customerCreate(input:)` with every set field, its default address and our marker.
    package static func customerCreate(_ contact: ContactRecord, marker: EntityID) -> GraphQLOperation {
        var input = customerFields(contact, fields: Set(ContactRecord.fieldKeys(for: .shopify)), includeNulls: false)
        if contact.address != nil || contact.company != nil { input["addresses"] = [mailingAddress(contact)] }
        input["metafields"] = [markerMetafield(marker)]
        return GraphQLOperation(name: "CustomerCreate", query: """
            mutation CustomerCreate($input: CustomerInput!) {
              customerCreate(input: $input) { customer { \(ShopifyGraphQLDocuments.customerFields) } \(userErrors) }
            }
            """, variables: ["input": .object(input)])
    }

    /// `customerUpdate(input:)` with the changed scalar fields (a cleared one as null).
    package static func customerUpdate(_ contact: ContactRecord, fields: Set<FieldKey>) -> GraphQLOperation {
        var input = customerFields(contact, fields: fields, includeNulls: true)
        input["id"] = .string(ShopifyGlobalID.make("Customer", contact.remoteID))
        return GraphQLOperation(name: "CustomerUpdate", query: """
            mutation CustomerUpdate($input: CustomerInput!) {
              customerUpdate(input: $input) { customer { \(ShopifyGraphQLDocuments.customerFields) } \(userErrors) }
            }
            """, variables: ["input": .object(input)], repeatsSafely: true)
    }

    /// The customer's default address written whole: `customerAddressUpdate` of the address we read
    /// (``ContactRecord/remoteAddressID``), else `customerAddressCreate`; either made the default.
    package static func customerAddress(_ contact: ContactRecord) -> GraphQLOperation {
        var variables: [String: JSONValue] = [
            "customerId": .string(ShopifyGlobalID.make("Customer", contact.remoteID)), "address": mailingAddress(contact),
        ]
        guard let addressID = contact.remoteAddressID else {
            return GraphQLOperation(name: "CustomerAddressCreate", query: """
                mutation CustomerAddressCreate($customerId: ID!, $address: MailingAddressInput!) {
                  customerAddressCreate(customerId: $customerId, address: $address, setAsDefault: true) { address { id } \(userErrors) }
                }
                """, variables: variables)
        }
        variables["addressId"] = .string(ShopifyGlobalID.make("MailingAddress", addressID))
        return GraphQLOperation(name: "CustomerAddressUpdate", query: """
            mutation CustomerAddressUpdate($customerId: ID!, $addressId: ID!, $address: MailingAddressInput!) {
              customerAddressUpdate(customerId: $customerId, addressId: $addressId, address: $address, setAsDefault: true) { address { id } \(userErrors) }
            }
            """, variables: variables, repeatsSafely: true)
    }

    static func customerFields(_ contact: ContactRecord, fields: Set<FieldKey>, includeNulls: Bool) -> [String: JSONValue] {
        var input: [String: JSONValue] = [:]
        func put(_ key: String, _ value: String?) {
            if value != nil || includeNulls { input[key] = RequestBody.text(value) }
        }
        if fields.contains(.email) { put("email", contact.email) }
        if fields.contains(.firstName) { put("firstName", contact.firstName) }
        if fields.contains(.lastName) { put("lastName", contact.lastName) }
        if fields.contains(.phone) { put("phone", contact.phone) }
        if fields.contains(.note) { put("note", contact.note) }
        return input
    }

    /// A `MailingAddressInput` from the contact's address and company.
    static func mailingAddress(_ contact: ContactRecord) -> JSONValue {
        let a = contact.address ?? PostalAddress()
        return [
            "address1": RequestBody.text(a.line1), "address2": RequestBody.text(a.line2), "city": RequestBody.text(a.city),
            "provinceCode": RequestBody.text(a.region), "zip": RequestBody.text(a.postalCode), "countryCode": RequestBody.text(a.countryCode),
            "company": RequestBody.text(contact.company),
        ]
    }

    // MARK: Answers

    /// The payload of mutation `field` in `data`; its `userErrors` (or any `…UserErrors` list) throw.
    package static func payload(_ data: JSONValue, of field: String, operation: GraphQLOperation, client: ShopifyGraphQLClient) throws -> JSONValue {
        guard let payload = data[field], !payload.isNull else {
            throw StoreAPIError(code: .malformedResponse, method: .post, path: client.path,
                                message: "Shopify answered \(operation.name) without its \(field) payload; check the API version (\(client.version))")
        }
        var problems: [(field: String, message: String)] = []
        for (key, value) in payload.object ?? [:] where key == "userErrors" || key.hasSuffix("UserErrors") {
            for error in value.array ?? [] {
                let path = (error["field"]?.array ?? []).compactMap(\.string).joined(separator: ".")
                problems.append((path, error["message"]?.string ?? "refused"))
            }
        }
        guard problems.isEmpty else {
            let said = problems.map { $0.field.isEmpty ? $0.message : "\($0.field): \($0.message)" }.joined(separator: "; ")
            throw StoreAPIError(code: .validation, status: 200, storeMessage: said,
                                fieldErrors: Dictionary(grouping: problems, by: \.field).mapValues { $0.map(\.message) },
                                method: .post, path: client.path, message: "Shopify refused \(operation.name): \(said)")
        }
        return payload
    }
}
