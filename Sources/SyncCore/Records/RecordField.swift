/// Typed reads of canonical ``Value``s for the records' `applying(_:)` methods.
enum RecordField {
    static func string(_ value: Value, _ key: FieldKey) throws -> String? {
        switch value {
        case .null: return nil
        case .string(let s): return s
        default: throw ValueDecodingError(message: "field \"\(key)\" expects a string, got \(value)")
        }
    }

    static func decimal(_ value: Value, _ key: FieldKey) throws -> ExactDecimal? {
        switch value {
        case .null: return nil
        case .decimal(let d): return d
        case .integer(let i): return ExactDecimal(Int(i))
        default: throw ValueDecodingError(message: "field \"\(key)\" expects a decimal, got \(value)")
        }
    }

    static func bool(_ value: Value, _ key: FieldKey) throws -> Bool {
        guard case .bool(let b) = value else {
            throw ValueDecodingError(message: "field \"\(key)\" expects a boolean, got \(value)")
        }
        return b
    }
}
