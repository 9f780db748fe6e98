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
