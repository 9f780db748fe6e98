import Foundation
import SyncCore

/// `field=value` arguments, as the CLI's `ledger add` and `ledger set` take them, applied to drafts.
///
/// Parsing and applying are separate from the command so they can be tested, and they name the
/// bad field and the accepted ones in every error. An empty value (`phone=`) clears an optional
/// field.
///
/// ```swift
/// let fields = try LedgerFieldAssignments(parsing: ["sku=TAZA-1", "name=Taza", "price=120.50"])
/// let draft = try fields.newProduct()   // ProductDraft(sku: "TAZA-1", …)
/// ```
public struct LedgerFieldAssignments: Sendable, Hashable {
    /// The assignments in the order given.
    public let assignments: [Assignment]

    public struct Assignment: Sendable, Hashable {
        public let field: String
        public let value: String
    }

    /// Fields accepted for contacts.
    public static let contactFields = ["first_name", "last_name", "email", "phone", "company", "note", "address"]
    /// Fields accepted for products.
    public static let productFields = ["sku", "name", "price", "taxable", "active", "tax"]
    /// Fields accepted for taxes.
    public static let taxFields = ["name", "percentage"]
    /// Fields accepted for sales orders: what Oorden may change on an order and the sync engine writes
    /// back to its store. `shipping_address.<key>` changes one field of the address
    /// (``orderAddressKeys``) and keeps the others.
    public static let orderFields = ["note", "shipping_address", "fulfilled"]
    /// The keys of a shipping address: the canonical address the engine sends to the stores
    /// (`PostalAddress`). Any other key would be dropped on the way to the store, so it is refused here.
    public static let orderAddressKeys = ["first_name", "last_name", "company", "line1", "line2", "city", "region",
                                          "postal_code", "country_code", "phone"]
    /// Fields accepted for inventory movements.
    public static let movementFields = ["product", "quantity", "kind", "reference"]

    /// Parses `field=value` words; the value is everything after the first `=`.
    public init(parsing arguments: [String]) throws {
        var seen: Set<String> = []
        var result: [Assignment] = []
        for argument in arguments {
            guard let eq = argument.firstIndex(of: "=") else {
                throw LedgerError(.invalidValue, "\"\(argument.prefix(60))\" is not field=value; write e.g. name=Taza")
            }
            let field = argument[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            guard !field.isEmpty else { throw LedgerError(.invalidValue, "\"\(argument.prefix(60))\" has no field name before '='") }
            guard seen.insert(field).inserted else { throw LedgerError(.invalidValue, "field \(field) is given twice; give it once") }
            result.append(Assignment(field: field, value: String(argument[argument.index(after: eq)...])))
        }
        assignments = result
    }

    /// The value given for `field`, if any.
    public subscript(field: String) -> String? {
        assignments.first { $0.field == field }?.value
    }

    /// A new contact from the assignments.
    public func newContact() throws -> ContactDraft {
        var draft = ContactDraft()
        try applyContact(to: &draft)
        return draft
    }

    /// Applies contact fields to `draft`.
    public func applyContact(to draft: inout ContactDraft) throws {
        try checkFields(Self.contactFields, entity: "contact")
        for a in assignments {
            let optional: String? = a.value.isEmpty ? nil : a.value
            switch a.field {
            case "first_name": draft.firstName = a.value
            case "last_name": draft.lastName = a.value
            case "email": draft.email = optional
            case "phone": draft.phone = optional
            case "company": draft.company = optional
            case "note": draft.note = optional
            case "address":
                if let text = optional {
                    do { draft.address = try JSONValue.parse(text) } catch {
                        throw LedgerError(.invalidValue, "field address is not JSON (\(error)); give an object such as address='{\"city\":\"Monterrey\"}'")
                    }
                } else {
                    draft.address = nil
                }
            default: break
            }
        }
    }

    /// A new product from the assignments; `sku`, `name` and `price` are required.
    public func newProduct() throws -> ProductDraft {
        try checkFields(Self.productFields, entity: "product")
        for required in ["sku", "name", "price"] where self[required] == nil {
            throw LedgerError(.missingField, "field \(required) is required for a new product; give sku=…, name=… and price=…")
        }
        var draft = ProductDraft(sku: "", name: "", price: .zero)
        try applyProduct(to: &draft)
        return draft
    }

    /// Applies product fields to `draft`.
    public func applyProduct(to draft: inout ProductDraft) throws {
        try checkFields(Self.productFields, entity: "product")
        for a in assignments {
            switch a.field {
            case "sku": draft.sku = a.value
            case "name": draft.name = a.value
            case "price": draft.price = try Self.decimal(a)
            case "taxable": draft.taxable = try Self.bool(a)
            case "active": draft.active = try Self.bool(a)
            case "tax":
                let text = a.value.trimmingCharacters(in: .whitespaces).lowercased()
                if text.isEmpty || text == "none" {
                    draft.taxID = nil
                } else if let id = Int64(text), id > 0 {
                    draft.taxID = id
                } else {
                    throw LedgerError(.invalidValue, "field tax has value \"\(a.value.prefix(40))\"; give a tax id (see `ledger list taxes`) or none")
                }
            default: break
            }
        }
    }

    /// A new tax from the assignments; `name` and `percentage` are required.
    public func newTax() throws -> TaxDraft {
        try checkFields(Self.taxFields, entity: "tax")
        guard let name = self["name"] else { throw LedgerError(.missingField, "field name is required for a tax; give name=IVA") }
        guard let percentage = assignments.first(where: { $0.field == "percentage" }) else {
            throw LedgerError(.missingField, "field percentage is required for a tax; give percentage=16 for 16 %")
        }
        return TaxDraft(name: name, percentage: try Self.decimal(percentage))
    }

    /// A purchase or adjustment from the assignments; `product` and `quantity` are required, `kind`
    /// defaults to `purchase`.
    public func newMovement() throws -> MovementDraft {
        try checkFields(Self.movementFields, entity: "movement")
        guard let productText = self["product"] else {
            throw LedgerError(.missingField, "field product is required for a movement; give product=<product id>")
        }
        guard let productID = Int64(productText.trimmingCharacters(in: .whitespaces)), productID > 0 else {
            throw LedgerError(.invalidValue, "field product has value \"\(productText.prefix(40))\"; give a product id (see `ledger list products`)")
        }
        guard let quantityText = self["quantity"] else {
            throw LedgerError(.missingField, "field quantity is required for a movement; give quantity=5 (in) or quantity=-2 (out)")
        }
        guard let quantity = Int64(quantityText.trimmingCharacters(in: .whitespaces)) else {
            throw LedgerError(.invalidValue, "field quantity has value \"\(quantityText.prefix(40))\"; give a whole number of units")
        }
        let kindText = self["kind"]?.trimmingCharacters(in: .whitespaces).lowercased() ?? "purchase"
        guard let kind = MovementKind(rawValue: kindText), kind == .purchase || kind == .adjustment else {
            throw LedgerError(.invalidValue, "field kind has value \"\(kindText.prefix(40))\"; accepted values: purchase, adjustment")
        }
        let reference = self["reference"].flatMap { $0.isEmpty ? nil : $0 }
        return MovementDraft(productID: productID, quantity: quantity, kind: kind, reference: reference)
    }

    /// Applies order fields to `edit`: `note` (empty clears it), `fulfilled`, and the shipping address
    /// as a whole JSON object (`shipping_address={…}`, empty clears it) or field by field
    /// (`shipping_address.city=Querétaro`, empty clears that field). Nothing is applied when a value
    /// is malformed: the error names the field and what is accepted.
    public func applyOrder(to edit: inout SalesOrderEdit) throws {
        let addressPrefix = "shipping_address."
        if let bad = assignments.first(where: { !Self.orderFields.contains($0.field) && !$0.field.hasPrefix(addressPrefix) }) {
            throw LedgerError(.unknownField, "order has no field \(bad.field); accepted fields: \(Self.orderFields.joined(separator: ", ")), "
                              + "shipping_address.<key> with key one of \(Self.orderAddressKeys.joined(separator: ", "))")
        }
        if self["shipping_address"] != nil, assignments.contains(where: { $0.field.hasPrefix(addressPrefix) }) {
            throw LedgerError(.invalidValue, "give the shipping address either whole (shipping_address={…}) or by field (shipping_address.city=…), not both")
        }
        var result = edit
        for a in assignments {
            switch a.field {
            case "note": result.note = a.value.isEmpty ? nil : a.value
            case "fulfilled": result.fulfilled = try Self.bool(a)
            case "shipping_address": result.shippingAddress = try Self.address(a)
            default:
                let key = String(a.field.dropFirst(addressPrefix.count))
                result.shippingAddress = try Self.settingAddressField(key, to: a.value, in: result.shippingAddress)
            }
        }
        edit = result
    }

    /// A whole shipping address: a JSON object whose keys are ``orderAddressKeys`` and whose values are
    /// text (or null); empty text clears the address.
    static func address(_ a: Assignment) throws -> JSONValue? {
        let text = a.value.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return nil }
        let example = "shipping_address='{\"line1\":\"Av. Juárez 12\",\"city\":\"Querétaro\",\"postal_code\":\"76000\",\"country_code\":\"MX\"}'"
        let json: JSONValue
        do { json = try JSONValue.parse(text) } catch {
            throw LedgerError(.invalidValue, "field shipping_address is not JSON (\(error)); give an object such as \(example)")
        }
        guard let object = json.object else {
            throw LedgerError(.invalidValue, "field shipping_address must be a JSON object, not \(json.typeName); give e.g. \(example)")
        }
        for (key, value) in object {
            guard orderAddressKeys.contains(key) else {
                throw LedgerError(.unknownField, "shipping address has no field \(key); accepted: \(orderAddressKeys.joined(separator: ", "))")
            }
            guard value.string != nil || value.isNull else {
                throw LedgerError(.invalidValue, "shipping address field \(key) must be text, not \(value.typeName)")
            }
        }
        let kept = object.filter { !$0.value.isNull && !($0.value.string ?? "").allSatisfy(\.isWhitespace) }
        return kept.isEmpty ? nil : .object(kept)
    }

    /// `address` with `key` set to `value` (empty `value` removes the key; no key left, no address).
    static func settingAddressField(_ key: String, to value: String, in address: JSONValue?) throws -> JSONValue? {
        guard orderAddressKeys.contains(key) else {
            throw LedgerError(.unknownField, "shipping address has no field \(key); accepted: \(orderAddressKeys.joined(separator: ", "))")
        }
        var object = address?.object ?? [:]
        object[key] = value.allSatisfy(\.isWhitespace) ? nil : .string(value)
        return object.isEmpty ? nil : .object(object)
    }

    func checkFields(_ accepted: [String], entity: String) throws {
        if let bad = assignments.first(where: { !accepted.contains($0.field) }) {
            throw LedgerError(.unknownField, "\(entity) has no field \(bad.field); accepted fields: \(accepted.joined(separator: ", "))")
        }
    }

    static func decimal(_ a: Assignment) throws -> ExactDecimal {
        guard let value = ExactDecimal.parse(a.value.trimmingCharacters(in: .whitespaces)) else {
            throw LedgerError(.invalidValue, "field \(a.field) has value \"\(a.value.prefix(40))\", not a decimal number; write e.g. \(a.field)=120.50")
        }
        return value
    }

    static func bool(_ a: Assignment) throws -> Bool {
        switch a.value.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "yes", "1", "si", "sí": return true
        case "false", "no", "0": return false
        default:
            throw LedgerError(.invalidValue, "field \(a.field) has value \"\(a.value.prefix(40))\"; accepted values: true, false, yes, no, 1, 0")
        }
    }
}
