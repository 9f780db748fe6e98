/// A canonical field of a synced record: what the engine, the stores' record types and the Oorden
/// host call a contact's, product's or sales order's field.
///
/// Canonical fields are store-independent: ``ContactRecord`` and ``ProductRecord`` map them to each
/// store's JSON, the Oorden host to its own schema. Use sites name them by case, never by string; the
/// ``name`` is what the engine's database and diagnostics show.
///
/// The cases are declared in the order of their names, so ordering keys (``FieldValues`` iterates in
/// key order) is ordering names — what the engine did when fields were keyed by string.
///
/// ```swift
/// FieldKey.firstName.name          // "first_name"
/// FieldKey(name: "first_name")     // .firstName
/// ```
public enum FieldKey: UInt8, CaseIterable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Product: whether it is on sale (`.bool`); false once deleted in a store.
    case active
    /// Contact: the postal address (`.json` of ``PostalAddress``).
    case address
    /// Contact, Oorden only: archived (`.bool`), what a store deletion becomes.
    case archived
    /// Product: the barcode (`.string`).
    case barcode
    /// Sales order: cancelled in Oorden (`.bool`).
    case cancelled
    /// Contact: the company name (`.string`).
    case company
    /// Product: the compare-at ("was") price (`.decimal`).
    case compareAtPrice
    /// Contact: the e-mail (`.string`), its natural key.
    case email
    /// Contact: the first name (`.string`).
    case firstName
    /// Sales order: fulfilled in Oorden (`.bool`).
    case fulfilled
    /// Contact: the last name (`.string`).
    case lastName
    /// Product: the display name (`.string`).
    case name
    /// Contact or sales order: the note (`.string`, may span lines).
    case note
    /// Contact: the phone (`.string`).
    case phone
    /// Product: the price (`.decimal`).
    case price
    /// Sales order: the shipping address (`.json` of ``PostalAddress``).
    case shippingAddress
    /// Product: the SKU (`.string`), its natural key.
    case sku
    /// Product: whether taxes apply (`.bool`).
    case taxable

    /// The field's name in the engine's database, its shadows and its diagnostics.
    public var name: String { Self.names[Int(rawValue)] }

    /// The field with this name, or nil if no canonical field has it.
    public init?(name: String) {
        guard let key = Self.byName[name] else { return nil }
        self = key
    }

    /// The key's position among all keys: where ``FieldValues`` keeps its value.
    @inlinable public var position: Int { Int(rawValue) }

    public static func < (lhs: FieldKey, rhs: FieldKey) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { name }

    /// Indexed by raw value, in ascending order (asserted by the tests).
    static let names = [
        "active", "address", "archived", "barcode", "cancelled", "company", "compare_at_price", "email", "first_name",
        "fulfilled", "last_name", "name", "note", "phone", "price", "shipping_address", "sku", "taxable",
    ]

    private static let byName: [String: FieldKey] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })
}
