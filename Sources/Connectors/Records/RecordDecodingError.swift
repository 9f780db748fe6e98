/// Why a store response could not be read into canonical records.
///
/// The message names the resource (and its id when known), the field, what was expected and what
/// came, e.g. `customer 207119551: field "email" expected a string, got number`. It never contains
/// credentials: only the response body's structure is described.
public struct RecordDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The body is not JSON at all.
        case malformedJSON
        /// The body, or a field, has the wrong JSON type.
        case wrongType
        /// A required field is absent or null.
        case missingField
        /// A field has the right type but an unusable value (a bad date, a non-numeric price).
        case invalidValue
    }

    public let code: Code
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
