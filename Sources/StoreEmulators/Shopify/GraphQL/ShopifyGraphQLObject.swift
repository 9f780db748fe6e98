internal import GraphQL
import SyncCore

/// A GraphQL object value: answers its fields from a record of a shop snapshot.
///
/// The executor hands each resolved value back as the parent of the next selection; the schema's
/// one resolver calls ``field(_:_:)``. Returning `nil` is GraphQL `null` (an unknown id is a `null`
/// node, not an error); thrown ``ShopifyGraphQLError``s become field errors with the message.
struct ShopifyGraphQLObject: Sendable {
    let field: @Sendable (_ name: String, _ args: Map) throws -> (any Sendable)?

    init(_ field: @escaping @Sendable (_ name: String, _ args: Map) throws -> (any Sendable)?) {
        self.field = field
    }

    /// An object whose fields are fixed values (no arguments).
    static func values(_ values: [String: (any Sendable)?]) -> ShopifyGraphQLObject {
        ShopifyGraphQLObject { name, _ in values[name] ?? nil }
    }
}

/// A bad argument in a query (`first` over 250, a search syntax error); its message is the answer.
struct ShopifyGraphQLError: Error, Sendable, CustomStringConvertible {
    let message: String
    /// `extensions.code` of the error, when it has one.
    var code: String? = nil
    var description: String { message }
}

/// Global ids (`gid://shopify/Customer/123`) to and from the emulator's numeric ids.
enum ShopifyGlobalID {
    static func make(_ type: String, _ id: Int) -> String { "gid://shopify/\(type)/\(id)" }

    /// The numeric id of a global id of `type`; `nil` for another type or a malformed id.
    static func parse(_ text: String?, type: String) -> Int? {
        guard let text, text.hasPrefix("gid://shopify/\(type)/") else { return nil }
        let tail = text.dropFirst("gid://shopify/\(type)/".count)
        return Int(tail.split(separator: "?", maxSplits: 1).first ?? "")
    }
}
