import SyncCore

/// Typed access to request parameters with WordPress's validation messages.
struct WooParams: Sendable {
    var body: [String: JSONValue]

    static func invalid(_ name: String, _ detail: String) -> WooCommerceEmulatorError {
        WooCommerceEmulatorError(code: "rest_invalid_param", message: "Invalid parameter(s): \(name)", status: 400, params: [name: detail])
    }

    static func missing(_ name: String) -> WooCommerceEmulatorError {
        WooCommerceEmulatorError(code: "rest_missing_callback_param", message: "Missing parameter(s): \(name)", status: 400, params: [:])
    }

    func has(_ name: String) -> Bool { body[name] != nil }

    func string(_ name: String) throws -> String? {
        guard let v = body[name] else { return nil }
        if case .string(let s) = v { return s }
        throw Self.invalid(name, "\(name) is not of type string.")
    }

    func int(_ name: String) throws -> Int? {
        guard let v = body[name] else { return nil }
        switch v {
        case .null: return nil
        case .number, .string:
            if let i = v.int { return i }
        default: break
        }
        throw Self.invalid(name, "\(name) is not of type integer.")
    }

    func bool(_ name: String) throws -> Bool? {
        guard let v = body[name] else { return nil }
        switch v {
        case .bool(let b): return b
        case .string(let s) where ["true", "1"].contains(s): return true
        case .string(let s) where ["false", "0"].contains(s): return false
        case .number(let n) where n == "1": return true
        case .number(let n) where n == "0": return false
        default: throw Self.invalid(name, "\(name) is not of type boolean.")
        }
    }

    func object(_ name: String) throws -> [String: JSONValue]? {
        guard let v = body[name] else { return nil }
        if let o = v.object { return o }
        throw Self.invalid(name, "\(name) is not of type object.")
    }

    func array(_ name: String) throws -> [JSONValue]? {
        guard let v = body[name] else { return nil }
        if let a = v.array { return a }
        throw Self.invalid(name, "\(name) is not of type array.")
    }

    /// A money string (`"12.50"`), validated as a decimal; `""` is allowed (no price).
    func money(_ name: String) throws -> String? {
        guard let s = try string(name) else { return nil }
        if s.isEmpty { return s }
        guard let d = ExactDecimal.parse(s), !d.isNegative else { throw Self.invalid(name, "\(name) is not a valid price.") }
        return s
    }

    func oneOf(_ name: String, _ allowed: [String]) throws -> String? {
        guard let s = try string(name) else { return nil }
        guard allowed.contains(s) else { throw Self.invalid(name, "\(name) is not one of \(allowed.joined(separator: ", ")).") }
        return s
    }

    /// Applies the address fields of `name` (strings only) onto `address`.
    func address(_ name: String, into address: inout WooAddress, keys: [String]) throws {
        guard let object = try object(name) else { return }
        for key in keys {
            guard let v = object[key] else { continue }
            guard let s = v.string else { throw Self.invalid(name, "\(name)[\(key)] is not of type string.") }
            address[key] = s
        }
    }
}

/// Query-string parameters of a collection request, validated like the WP REST schema does.
struct WooQuery: Sendable {
    var items: [QueryItem]

    func value(_ name: String) -> String? { items.last { $0.name == name }?.value }

    func int(_ name: String, min: Int? = nil, max: Int? = nil) throws -> Int? {
        guard let raw = value(name) else { return nil }
        guard let v = Int(raw.trimmingCharacters(in: .whitespaces)) else { throw WooParams.invalid(name, "\(name) is not of type integer.") }
        if let min, let max, !(min...max).contains(v) {
            throw WooParams.invalid(name, "\(name) must be between \(min) (inclusive) and \(max) (inclusive)")
        }
        if let min, v < min { throw WooParams.invalid(name, "\(name) must be greater than or equal to \(min)") }
        return v
    }

    func bool(_ name: String) throws -> Bool? {
        guard let raw = value(name) else { return nil }
        switch raw.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no", "": return false
        default: throw WooParams.invalid(name, "\(name) is not of type boolean.")
        }
    }

    func oneOf(_ name: String, _ allowed: [String], default fallback: String) throws -> String {
        guard let raw = value(name) else { return fallback }
        guard allowed.contains(raw) else { throw WooParams.invalid(name, "\(name) is not one of \(allowed.joined(separator: ", ")).") }
        return raw
    }

    func list(_ name: String) -> [String]? {
        guard let raw = value(name), !raw.isEmpty else { return nil }
        return raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// An ISO 8601 date parameter; without a zone it is GMT when `dates_are_gmt`, else site time.
    func date(_ name: String, gmt: Bool, offsetMinutes: Int) throws -> Int64? {
        guard let raw = value(name) else { return nil }
        guard let ms = ISO8601Time.parse(raw) else { throw WooParams.invalid(name, "Invalid date.") }
        let hasZone = raw.count > 19 && (raw.hasSuffix("Z") || raw.dropFirst(19).contains("+") || raw.dropFirst(19).contains("-"))
        if hasZone || gmt { return ms }
        return ms - Int64(offsetMinutes) * 60_000
    }
}
