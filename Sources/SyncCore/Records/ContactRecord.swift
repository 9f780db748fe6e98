import Foundation

/// A store customer in canonical, store-independent form.
///
/// The engine keeps a contact as an LWW register map; ``canonicalFields`` is that map's view of a
/// store record, and ``applying(_:)`` goes the other way. Canonical field names:
///
/// | field (``FieldKey``) | value                  | Shopify                        | WooCommerce              |
/// |--------------|--------------------------------|--------------------------------|--------------------------|
/// | `email`      | `.string` / `.null`            | `email`                        | `email`                  |
/// | `first_name` | `.string` / `.null`            | `first_name`                   | `first_name`             |
/// | `last_name`  | `.string` / `.null`            | `last_name`                    | `last_name`              |
/// | `phone`      | `.string` / `.null`            | `phone` (else address phone)   | `billing.phone`          |
/// | `company`    | `.string` / `.null`            | `default_address.company`      | `billing.company`        |
/// | `note`       | `.string` / `.null`            | `note`                         | — (Woo has no note)      |
/// | `address`    | `.json` of ``PostalAddress`` / `.null` | `default_address`      | `billing`                |
///
/// The contact's ``address`` holds only the location (lines, city, region, postal code, country): the
/// name, company and phone are their own fields, so they are never stored twice.
public struct ContactRecord: Sendable, Hashable {
    public var store: StoreKind
    public var remoteID: String
    public var email: String?
    public var firstName: String?
    public var lastName: String?
    public var phone: String?
    public var company: String?
    public var note: String?
    public var address: PostalAddress?
    /// Our entity id, read from the Shopify metafield `oorden.entity_id` or WooCommerce
    /// `meta_data` key `_oorden_entity_id`, when the store record carries it.
    public var marker: EntityID?
    /// The store's id of the address ``address`` came from (Shopify `default_address.id`), so an
    /// update edits that address instead of adding another. Not a canonical field.
    public var remoteAddressID: String?
    /// Milliseconds since the Unix epoch.
    public var createdAt: Int64?
    /// Milliseconds since the Unix epoch; the event time of the record's last change.
    public var updatedAt: Int64?

    public init(
        store: StoreKind, remoteID: String, email: String? = nil, firstName: String? = nil, lastName: String? = nil,
        phone: String? = nil, company: String? = nil, note: String? = nil, address: PostalAddress? = nil,
        marker: EntityID? = nil, remoteAddressID: String? = nil, createdAt: Int64? = nil, updatedAt: Int64? = nil
    ) {
        self.store = store
        self.remoteID = remoteID
        self.email = PostalAddress.clean(email)
        self.firstName = PostalAddress.clean(firstName)
        self.lastName = PostalAddress.clean(lastName)
        self.phone = PostalAddress.clean(phone)
        self.company = PostalAddress.clean(company)
        self.note = PostalAddress.clean(note)
        self.address = address.flatMap { $0.isEmpty ? nil : $0 }
        self.marker = marker
        self.remoteAddressID = remoteAddressID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The canonical fields a contact of `store` can hold (WooCommerce customers have no note).
    public static func fieldKeys(for store: StoreKind) -> [FieldKey] {
        switch store {
        case .shopify: [.email, .firstName, .lastName, .phone, .company, .note, .address]
        case .woocommerce: [.email, .firstName, .lastName, .phone, .company, .address]
        }
    }

    /// The record as canonical fields (see the table above); unset fields are `.null`.
    public var canonicalFields: FieldValues {
        var f: FieldValues = [
            .email: email.map(Value.string) ?? .null,
            .firstName: firstName.map(Value.string) ?? .null,
            .lastName: lastName.map(Value.string) ?? .null,
            .phone: phone.map(Value.string) ?? .null,
            .company: company.map(Value.string) ?? .null,
            .address: address.map { .json($0.json) } ?? .null,
        ]
        if store == .shopify { f[.note] = note.map(Value.string) ?? .null }
        return f
    }

    /// A copy with canonical field changes applied; fields a contact has no place for, and wrongly
    /// typed values, throw.
    ///
    /// ```swift
    /// let edited = try shadow.applying([.phone: .string("+5215512345678")])
    /// ```
    public func applying(_ changes: FieldValues) throws -> ContactRecord {
        var r = self
        for (key, value) in changes {
            switch key {
            case .email: r.email = PostalAddress.clean(try RecordField.string(value, key))
            case .firstName: r.firstName = PostalAddress.clean(try RecordField.string(value, key))
            case .lastName: r.lastName = PostalAddress.clean(try RecordField.string(value, key))
            case .phone: r.phone = PostalAddress.clean(try RecordField.string(value, key))
            case .company: r.company = PostalAddress.clean(try RecordField.string(value, key))
            case .note: r.note = PostalAddress.clean(try RecordField.string(value, key))
            case .address:
                if value.isNull {
                    r.address = nil
                } else if let j = value.jsonValue {
                    let a = try PostalAddress(json: j)
                    r.address = a.isEmpty ? nil : a
                } else {
                    throw ValueDecodingError(message: "contact field \"address\" expects a JSON address, got \(value)")
                }
            case .active, .archived, .barcode, .cancelled, .compareAtPrice, .fulfilled, .name, .price, .shippingAddress, .sku, .taxable:
                throw ValueDecodingError(message: "a contact has no field \"\(key)\"; its fields: \(ContactRecord.fieldKeys(for: .shopify).map(\.name).joined(separator: ", "))")
            }
        }
        return r
    }

    /// The matching key for e-mails: trimmed and lower-cased; `nil` when empty.
    ///
    /// ```swift
    /// ContactRecord.normalizedEmail("  Bob.Norman@HostMail.com ")  // "bob.norman@hostmail.com"
    /// ```
    public static func normalizedEmail(_ email: String?) -> String? {
        guard let email else { return nil }
        let trimmed = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return trimmed.isEmpty ? nil : trimmed
    }
}
