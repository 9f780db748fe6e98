import Foundation
import SyncCore

/// Typed, error-reporting reads of one JSON object of a store response.
///
/// Every read names the resource, its id and the field path in its error, so a bad store payload
/// produces `order 727: field "line_items[1].total" expected a decimal string, got boolean`.
/// Missing and `null` optional fields read as `nil`; WooCommerce's empty strings read as `nil`
/// for ids, decimals and dates.
struct JSONFieldReader {
    let resource: String
    let label: String
    let prefix: String
    let fields: [String: JSONValue]

    /// Wraps `value`, which must be an object; `resource` names it in errors ("customer").
    init(_ value: JSONValue, resource: String) throws {
        guard case .object(let o) = value else {
            throw RecordDecodingError(code: .wrongType, message: "\(resource): expected a JSON object, got \(value.typeName)")
        }
        self.resource = resource
        self.fields = o
        self.prefix = ""
        let id = o["id"].flatMap { v -> String? in
            switch v {
            case .number(let t), .string(let t): return t
            default: return nil
            }
        }
        self.label = id.map { "\(resource) \($0)" } ?? resource
    }

    private init(label: String, resource: String, prefix: String, fields: [String: JSONValue]) {
        self.label = label
        self.resource = resource
        self.prefix = prefix
        self.fields = fields
    }

    func error(_ key: String, _ code: RecordDecodingError.Code, _ what: String) -> RecordDecodingError {
        RecordDecodingError(code: code, message: "\(label): field \"\(prefix)\(key)\" \(what)")
    }

    private func wrong(_ key: String, _ expected: String, _ got: JSONValue) -> RecordDecodingError {
        error(key, .wrongType, "expected \(expected), got \(got.typeName)")
    }

    /// The raw value, `nil` when missing or null.
    func value(_ key: String) -> JSONValue? {
        guard let v = fields[key], !v.isNull else { return nil }
        return v
    }

    /// A string field, cleaned of control characters (``ControlCharacters``): the parsing boundary
    /// applies the rule every side shares.
    func string(_ key: String) throws -> String? {
        guard let v = value(key) else { return nil }
        guard case .string(let s) = v else { throw wrong(key, "a string", v) }
        return ControlCharacters.cleaned(s, keepingLineBreaks: ControlCharacters.multilineFields.contains(key))
    }

    func requiredString(_ key: String) throws -> String {
        guard let s = try string(key) else { throw error(key, .missingField, "is missing") }
        return s
    }

    /// An id: an integer number or a string holding one (`0` and `""` read as `nil`: WooCommerce's "none").
    func id(_ key: String) throws -> String? {
        guard let v = value(key) else { return nil }
        switch v {
        case .number(let t):
            guard let i = Int64(t) else { throw error(key, .invalidValue, "expected an integer id, got \(t)") }
            return i == 0 ? nil : String(i)
        case .string(let s):
            if s.isEmpty || s == "0" { return nil }
            return s
        default:
            throw wrong(key, "an id", v)
        }
    }

    func requiredID(_ key: String) throws -> String {
        guard let s = try id(key) else { throw error(key, .missingField, "is missing") }
        return s
    }

    /// A decimal number or a string holding one (`""` reads as `nil`).
    func decimal(_ key: String) throws -> ExactDecimal? {
        guard let v = value(key) else { return nil }
        switch v {
        case .number(let t):
            guard let d = ExactDecimal.parse(t) else { throw error(key, .invalidValue, "expected an exact decimal, got \(t)") }
            return d
        case .string(let s):
            if s.isEmpty { return nil }
            guard let d = ExactDecimal.parse(s) else {
                throw error(key, .invalidValue, "expected a decimal string, got \"\(s.prefix(40))\"")
            }
            return d
        default:
            throw wrong(key, "a decimal string", v)
        }
    }

    /// A decimal that is zero when absent.
    func money(_ key: String) throws -> ExactDecimal {
        try decimal(key) ?? .zero
    }

    func int(_ key: String) throws -> Int? {
        guard let v = value(key) else { return nil }
        switch v {
        case .number, .string:
            if case .string(let s) = v, s.isEmpty { return nil }
            guard let i = v.int else { throw error(key, .invalidValue, "expected an integer, got \(v.jsonText.prefix(40))") }
            return i
        default:
            throw wrong(key, "an integer", v)
        }
    }

    func bool(_ key: String) throws -> Bool? {
        guard let v = value(key) else { return nil }
        guard case .bool(let b) = v else { throw wrong(key, "a boolean", v) }
        return b
    }

    /// An ISO 8601 time in milliseconds since the epoch (`""` reads as `nil`).
    func time(_ key: String) throws -> Int64? {
        guard let s = try string(key), !s.isEmpty else { return nil }
        guard let t = ISO8601Time.parse(s) else {
            throw error(key, .invalidValue, "expected an ISO 8601 time, got \"\(s.prefix(40))\"")
        }
        return t
    }

    /// An array; missing or null reads as empty.
    func array(_ key: String) throws -> [JSONValue] {
        guard let v = value(key) else { return [] }
        guard case .array(let a) = v else { throw wrong(key, "an array", v) }
        return a
    }

    /// A nested object reader, `nil` when missing or null.
    func object(_ key: String) throws -> JSONFieldReader? {
        guard let v = value(key) else { return nil }
        guard case .object(let o) = v else { throw wrong(key, "an object", v) }
        return JSONFieldReader(label: label, resource: resource, prefix: prefix + key + ".", fields: o)
    }

    /// Readers for each object of an array field, named `key[i]` in errors.
    func objects(_ key: String) throws -> [JSONFieldReader] {
        try array(key).enumerated().map { i, v in
            guard case .object(let o) = v else { throw wrong("\(key)[\(i)]", "an object", v) }
            return JSONFieldReader(label: label, resource: resource, prefix: "\(prefix)\(key)[\(i)].", fields: o)
        }
    }
}

/// Parsing of a response body into a JSON document, with errors naming what was expected.
enum ResponseBody {
    static func json(_ body: Data, expecting what: String) throws -> JSONValue {
        do {
            return try JSONValue.parse(body)
        } catch let e as JSONParseError {
            throw RecordDecodingError(code: .malformedJSON, message: "\(what): the response is not JSON (\(e.message) at byte \(e.offset))")
        }
    }

    /// The array in an envelope `{"key": [...]}` (Shopify lists), or a bare array when `envelope` is nil.
    static func list(_ document: JSONValue, envelope: String?, what: String) throws -> [JSONValue] {
        var value = document
        if let envelope {
            guard case .object(let o) = document else {
                throw RecordDecodingError(code: .wrongType, message: "\(what): expected an object with \"\(envelope)\", got \(document.typeName)")
            }
            guard let inner = o[envelope] else {
                throw RecordDecodingError(code: .missingField, message: "\(what): the response has no \"\(envelope)\" field")
            }
            value = inner
        }
        guard case .array(let items) = value else {
            throw RecordDecodingError(code: .wrongType, message: "\(what): expected an array, got \(value.typeName)")
        }
        return items
    }

    /// The object in an envelope `{"key": {...}}` (Shopify singles), or the document itself.
    static func single(_ document: JSONValue, envelope: String?, what: String) throws -> JSONValue {
        guard let envelope else { return document }
        guard case .object(let o) = document else {
            throw RecordDecodingError(code: .wrongType, message: "\(what): expected an object with \"\(envelope)\", got \(document.typeName)")
        }
        guard let inner = o[envelope], !inner.isNull else {
            throw RecordDecodingError(code: .missingField, message: "\(what): the response has no \"\(envelope)\" field")
        }
        return inner
    }
}

/// Shared JSON body building for the request builders.
enum RequestBody {
    /// A JSON number for an all-digit id (stores expect numeric ids), else a string.
    static func id(_ id: String) -> JSONValue {
        if !id.isEmpty, id.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) { return .number(id) }
        return .string(id)
    }

    static func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }

    static func money(_ d: ExactDecimal?) -> JSONValue { d.map { .string($0.formatted(scale: max(2, $0.scale))) } ?? .null }

    static func headers() -> HeaderFields {
        ["Content-Type": "application/json; charset=utf-8", "Accept": "application/json"]
    }
}

extension ExactDecimal {
    /// The value without its sign (stores report refunds as negative amounts).
    var absoluteValue: ExactDecimal { isNegative ? -self : self }
}
