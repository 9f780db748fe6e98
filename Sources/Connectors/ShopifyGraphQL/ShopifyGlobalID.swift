import SyncCore

/// Shopify's global ids (`gid://shopify/Customer/7000000000001`) and the numeric ids inside them.
///
/// OordenSync keeps a Shopify record's *numeric* id in its links — the id REST uses and the id webhook
/// bodies carry (`"id": 7000000000001`, still the REST shape for GraphQL apps) — so a store moved from
/// the REST platform to GraphQL keeps every link. Queries and mutations take the global id.
///
/// ```swift
/// ShopifyGlobalID.numeric("gid://shopify/Customer/7000000000001", type: "Customer")  // "7000000000001"
/// ShopifyGlobalID.make("Customer", "7000000000001")  // "gid://shopify/Customer/7000000000001"
/// ```
package enum ShopifyGlobalID {
    /// The global id of a record of `type` with numeric id `id`.
    package static func make(_ type: String, _ id: String) -> String { "gid://shopify/\(type)/\(id)" }

    /// The numeric id in `gid` when it names a record of `type` (a query string such as
    /// `?inventory_item_id=…` after it is ignored); nil for anything else.
    package static func numeric(_ gid: String, type: String) -> String? {
        let prefix = "gid://shopify/\(type)/"
        guard gid.hasPrefix(prefix) else { return nil }
        let id = gid.dropFirst(prefix.count).prefix { $0 != "?" }
        guard !id.isEmpty, id.allSatisfy(\.isASCIIDigit) else { return nil }
        return String(id)
    }

    /// The type a global id names (`ProductVariant` in `gid://shopify/ProductVariant/1`); nil when
    /// `gid` is not a Shopify global id.
    package static func type(_ gid: String) -> String? {
        let prefix = "gid://shopify/"
        guard gid.hasPrefix(prefix) else { return nil }
        let type = gid.dropFirst(prefix.count).prefix { $0 != "/" }
        return type.isEmpty ? nil : String(type)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension JSONFieldReader {
    /// The numeric id inside the global id at `key`, or nil when the field is absent or null; a
    /// value that is not a global id of `type` is an error naming the field.
    func globalID(_ key: String, type: String) throws -> String? {
        guard let gid = try string(key) else { return nil }
        guard let id = ShopifyGlobalID.numeric(gid, type: type) else {
            throw error(key, .invalidValue, "expected a Shopify global id gid://shopify/\(type)/…, got \"\(gid.prefix(80))\"")
        }
        return id
    }

    /// ``globalID(_:type:)`` for a field every record has.
    func requiredGlobalID(_ key: String, type: String) throws -> String {
        guard let id = try globalID(key, type: type) else { throw error(key, .missingField, "is missing") }
        return id
    }
}
