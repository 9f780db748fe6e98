import Foundation
import SyncCore

/// The store's own explanation inside an error body.
///
/// Shopify sends `{"errors": "Not Found"}` or `{"errors": {"email": ["has already been taken"]}}`
/// (sometimes `{"errors": ["..."]}` or `{"error": "..."}`); WooCommerce sends
/// `{"code": "product_invalid_sku", "message": "Invalid or duplicated SKU.", "data": {"status": 400}}`.
public struct StoreErrorBody: Sendable, Hashable {
    /// One readable message (`"email: has already been taken"`), or `nil` if the body said nothing usable.
    public var message: String?
    /// WooCommerce's `code`.
    public var code: String?
    /// Shopify's field → messages map.
    public var fieldErrors: [String: [String]]

    public init(message: String? = nil, code: String? = nil, fieldErrors: [String: [String]] = [:]) {
        self.message = message
        self.code = code
        self.fieldErrors = fieldErrors
    }

    /// Parses an error body; a body that is not JSON yields its first 200 characters of text, if any.
    public static func parse(_ body: Data) -> StoreErrorBody {
        guard !body.isEmpty else { return StoreErrorBody() }
        guard let json = try? JSONValue.parse(body) else {
            let text = String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return StoreErrorBody(message: text.isEmpty ? nil : text)
        }
        if let errors = json["errors"] {
            switch errors {
            case .string(let s):
                return StoreErrorBody(message: s)
            case .array(let items):
                let texts = items.map(Self.text)
                return StoreErrorBody(message: texts.isEmpty ? nil : texts.joined(separator: "; "))
            case .object(let fields):
                var map: [String: [String]] = [:]
                for (field, value) in fields {
                    map[field] = value.array.map { $0.map(Self.text) } ?? [Self.text(value)]
                }
                let message = map.keys.sorted().map { key in
                    key == "base" ? map[key]!.joined(separator: ", ") : "\(key): \(map[key]!.joined(separator: ", "))"
                }.joined(separator: "; ")
                return StoreErrorBody(message: message.isEmpty ? nil : message, fieldErrors: map)
            default:
                return StoreErrorBody(message: Self.text(errors))
            }
        }
        if let message = json["message"]?.string {
            return StoreErrorBody(message: message, code: json["code"]?.string)
        }
        if let error = json["error"] {
            return StoreErrorBody(message: error.string ?? error["message"]?.string ?? Self.text(error))
        }
        return StoreErrorBody(code: json["code"]?.string)
    }

    private static func text(_ value: JSONValue) -> String {
        value.string ?? value.jsonText
    }
}
