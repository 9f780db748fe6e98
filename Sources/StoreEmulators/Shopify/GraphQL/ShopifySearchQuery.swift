import SyncCore

/// Shopify's search syntax for the `query:` argument: `field:value` terms joined by spaces or `AND`.
///
/// A term compares with `:` (equals, or a prefix when the value ends in `*`), `:>`, `:>=`, `:<`,
/// `:<=`; values may be quoted with `'` or `"`. Times (`updated_at`, `created_at`) are ISO 8601, a
/// bare date meaning its midnight at the shop's offset. A field the resource cannot filter on is an
/// error naming the fields it can, rather than a silently unfiltered answer.
struct ShopifySearchQuery: Sendable {
    enum Comparison: String, Sendable { case equal = ":", greater = ":>", greaterOrEqual = ":>=", less = ":<", lessOrEqual = ":<=" }

    struct Term: Sendable {
        var field: String
        var comparison: Comparison
        var value: String
    }

    var terms: [Term] = []

    /// Parses `text`, accepting only `fields`.
    init(_ text: String?, fields: Set<String>) throws {
        guard let text else { return }
        for word in try Self.words(text) where word.uppercased() != "AND" {
            guard let colon = word.firstIndex(of: ":") else {
                throw ShopifyGraphQLError(message: "Unsupported search term '\(word)': use field:value with one of \(fields.sorted().joined(separator: ", "))")
            }
            let field = String(word[..<colon])
            guard fields.contains(field) else {
                throw ShopifyGraphQLError(message: "Unsupported search field '\(field)': this resource filters on \(fields.sorted().joined(separator: ", "))")
            }
            var rest = word[word.index(after: colon)...]
            var comparison = Comparison.equal
            for (prefix, c) in [(">=", Comparison.greaterOrEqual), ("<=", .lessOrEqual), (">", .greater), ("<", .less)] where rest.hasPrefix(prefix) {
                comparison = c
                rest = rest.dropFirst(prefix.count)
                break
            }
            terms.append(Term(field: field, comparison: comparison, value: Self.unquoted(String(rest))))
        }
    }

    /// Splits on spaces outside quotes.
    private static func words(_ text: String) throws -> [String] {
        var out: [String] = [], current = "", quote: Character?
        for ch in text {
            if let q = quote {
                current.append(ch)
                if ch == q { quote = nil }
            } else if ch == "'" || ch == "\"" {
                quote = ch
                current.append(ch)
            } else if ch == " " {
                if !current.isEmpty { out.append(current); current = "" }
            } else {
                current.append(ch)
            }
        }
        guard quote == nil else { throw ShopifyGraphQLError(message: "Unterminated quote in search query: \(text)") }
        if !current.isEmpty { out.append(current) }
        return out
    }

    private static func unquoted(_ s: String) -> String {
        if s.count >= 2, let f = s.first, f == "'" || f == "\"", s.last == f { return String(s.dropFirst().dropLast()) }
        return s
    }

    /// Whether a time passes every term on `field`.
    func matches(time field: String, _ value: Int64, offsetMinutes: Int) throws -> Bool {
        for term in terms where term.field == field {
            let bound: Int64
            if let t = ISO8601Time.parse(term.value) {
                bound = t
            } else if term.value.count == 10, let t = ISO8601Time.parse(term.value + "T00:00:00Z") {
                bound = t - Int64(offsetMinutes) * 60_000
            } else {
                throw ShopifyGraphQLError(message: "Invalid time '\(term.value)' for \(field): use ISO 8601, like '2026-11-29T10:00:00Z'")
            }
            let ok: Bool
            switch term.comparison {
            case .equal: ok = value == bound
            case .greater: ok = value > bound
            case .greaterOrEqual: ok = value >= bound
            case .less: ok = value < bound
            case .lessOrEqual: ok = value <= bound
            }
            if !ok { return false }
        }
        return true
    }

    /// Whether a text passes every term on `field` (case-insensitive; `abc*` is a prefix).
    func matches(text field: String, _ value: String?) -> Bool {
        for term in terms where term.field == field {
            let have = (value ?? "").lowercased(), want = term.value.lowercased()
            let ok = want.hasSuffix("*") ? have.hasPrefix(String(want.dropLast())) : have == want
            if !ok { return false }
        }
        return true
    }

    /// Whether any of several texts passes every term on `field` (a product's variant SKUs).
    func matches(anyText field: String, _ values: [String?]) -> Bool {
        guard terms.contains(where: { $0.field == field }) else { return true }
        return values.contains { matches(text: field, $0) }
    }
}
