/// The value of one field of a synced entity: exact and typed.
///
/// Money and rates are ``ExactDecimal`` (never `Double`), nested data (addresses, order lines) is
/// canonical ``JSONValue``, and a link to another entity is an ``EntityID``. Every value has one
/// canonical encoding (``encoded``), used for storage, change sets and equality across databases.
///
/// ```swift
/// let price: Value = .decimal(try ExactDecimal("19.90"))
/// price.encoded                 // "d:19.9"
/// try Value(encoded: "d:19.9")  // == price
/// ```
public enum Value: Sendable, Hashable, CustomStringConvertible {
    case null
    case string(String)
    case decimal(ExactDecimal)
    case integer(Int64)
    case bool(Bool)
    case json(JSONValue)
    case reference(EntityID)

    /// The canonical, self-describing text form: a one-letter type tag, a colon, the payload.
    public var encoded: String {
        switch self {
        case .null: "n:"
        case .string(let s): "s:" + s
        case .decimal(let d): "d:" + d.description
        case .integer(let i): "i:" + String(i)
        case .bool(let b): b ? "b:1" : "b:0"
        case .json(let j): "j:" + j.jsonText
        case .reference(let id): "r:" + id.hex
        }
    }

    /// Decodes ``encoded``; throws a ``ValueDecodingError`` naming the problem.
    public init(encoded text: String) throws {
        guard text.utf8.count >= 2, text.utf8.dropFirst().first == UInt8(ascii: ":") else {
            throw ValueDecodingError(message: "\"\(text.prefix(32))\" has no type tag (expected e.g. \"s:text\")")
        }
        let tag = text.first!
        let payload = String(text.dropFirst(2))
        switch tag {
        case "n":
            guard payload.isEmpty else { throw ValueDecodingError(message: "null carries no payload") }
            self = .null
        case "s": self = .string(payload)
        case "d":
            guard let d = ExactDecimal.parse(payload) else { throw ValueDecodingError(message: "bad decimal \"\(payload.prefix(32))\"") }
            self = .decimal(d)
        case "i":
            guard let i = Int64(payload) else { throw ValueDecodingError(message: "bad integer \"\(payload.prefix(32))\"") }
            self = .integer(i)
        case "b":
            guard payload == "0" || payload == "1" else { throw ValueDecodingError(message: "bad bool \"\(payload.prefix(8))\"") }
            self = .bool(payload == "1")
        case "j":
            do { self = .json(try JSONValue.parse(payload)) } catch { throw ValueDecodingError(message: "bad JSON value: \(error)") }
        case "r":
            guard let id = EntityID(hex: payload) else { throw ValueDecodingError(message: "bad entity reference \"\(payload.prefix(40))\"") }
            self = .reference(id)
        default:
            throw ValueDecodingError(message: "unknown type tag '\(tag)'")
        }
    }

    /// A readable form for the CLI: strings quoted, decimals canonical, JSON compact.
    public var description: String {
        switch self {
        case .null: "null"
        case .string(let s): "\"\(s)\""
        case .decimal(let d): d.description
        case .integer(let i): String(i)
        case .bool(let b): b ? "true" : "false"
        case .json(let j): j.jsonText
        case .reference(let id): "→" + id.hex
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var decimalValue: ExactDecimal? {
        if case .decimal(let d) = self { return d }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var integerValue: Int64? {
        if case .integer(let i) = self { return i }
        return nil
    }

    public var jsonValue: JSONValue? {
        if case .json(let j) = self { return j }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

/// Why a stored or received value could not be decoded.
public struct ValueDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String

    package init(message: String) {
        self.message = message
    }
    public var description: String { "value decoding: \(message)" }
}
