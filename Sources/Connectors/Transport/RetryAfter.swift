import Foundation
import SyncCore

/// Parsing of the HTTP `Retry-After` header.
///
/// Stores send delta-seconds (`"2"`, Shopify also `"2.0"`) or an HTTP date
/// (`"Sun, 29 Nov 2026 15:00:05 GMT"`).
public enum RetryAfter {
    /// The delay `value` asks for, in milliseconds, measured from `nowMilliseconds` for HTTP dates.
    /// A date in the past gives 0; an unreadable or negative value gives `nil`.
    public static func milliseconds(_ value: String, nowMilliseconds: Int64) -> Int64? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = parseDecimalSeconds(text) { return seconds }
        if let date = ISO8601Time.parseHTTPDate(text) { return max(0, date - nowMilliseconds) }
        return nil
    }

    /// `"2"`, `"2.0"`, `"0.25"` → milliseconds, exactly (no floating point); at most an hour.
    static func parseDecimalSeconds(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 6, whole.allSatisfy({ $0.isASCII && $0.isNumber }),
              let seconds = Int64(whole)
        else { return nil }
        var millis: Int64 = 0
        if parts.count == 2 {
            let frac = parts[1]
            guard !frac.isEmpty, frac.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            let digits = Array(frac.prefix(3)) + Array(repeating: Character("0"), count: max(0, 3 - frac.count))
            millis = Int64(String(digits)) ?? 0
            // Round any further digits up so we never retry earlier than asked.
            if frac.count > 3, frac.dropFirst(3).contains(where: { $0 != "0" }) { millis += 1 }
        }
        return seconds * 1000 + millis
    }
}
