/// Parsing and formatting of the ISO 8601 timestamps stores use, without Foundation formatters.
///
/// Shopify sends `2026-11-29T10:00:05-05:00`; WooCommerce `*_gmt` fields send `2026-11-29T15:00:05`
/// (no zone, meaning UTC). Times are milliseconds since the Unix epoch.
///
/// ```swift
/// ISO8601Time.parse("2026-11-29T10:00:05-05:00")   // 1795964405000
/// ISO8601Time.format(1795964405000, offsetMinutes: -300)  // "2026-11-29T10:00:05-05:00"
/// ```
public enum ISO8601Time {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM|±HHMM]`; a time with no zone is UTC.
    /// Returns `nil` for anything else, including out-of-range fields.
    public static func parse(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        func num(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var v = 0
            for i in from..<from + count {
                guard b[i] >= 48 && b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard b.count >= 19, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let year = num(0, 4), let month = num(5, 2), let day = num(8, 2),
              let hour = num(11, 2), let minute = num(14, 2), let second = num(17, 2),
              (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var millis = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            var frac = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if digits < 3 { frac = frac * 10 + Int(b[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            if digits < 3 { for _ in digits..<3 { frac *= 10 } }
            millis = frac
        }
        var offsetMinutes = 0
        if i < b.count {
            if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
                i += 1
            } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
                guard let oh = num(i + 1, 2) else { return nil }
                var j = i + 3
                if j < b.count, b[j] == UInt8(ascii: ":") { j += 1 }
                guard let om = num(j, 2), oh < 24, om < 60 else { return nil }
                offsetMinutes = sign * (oh * 60 + om)
                i = j + 2
            } else {
                return nil
            }
        }
        guard i == b.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59)) - Int64(offsetMinutes * 60)
        return seconds * 1000 + Int64(millis)
    }

    /// Formats with a zone offset (`Z` when 0 and `zulu` is true), seconds precision unless
    /// `fractional` is true.
    public static func format(_ milliseconds: Int64, offsetMinutes: Int = 0, fractional: Bool = false, zulu: Bool = false) -> String {
        let local = milliseconds + Int64(offsetMinutes) * 60_000
        let ms = Int(((local % 1000) + 1000) % 1000)
        let totalSeconds = (local - Int64(ms)) / 1000
        var days = totalSeconds / 86_400
        var secOfDay = totalSeconds % 86_400
        if secOfDay < 0 { secOfDay += 86_400; days -= 1 }
        let (y, m, d) = civilFromDays(Int(days))
        let hh = Int(secOfDay / 3600), mm = Int(secOfDay % 3600 / 60), ss = Int(secOfDay % 60)
        var s = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(hh, 2)):\(pad(mm, 2)):\(pad(ss, 2))"
        if fractional { s += ".\(pad(ms, 3))" }
        if offsetMinutes == 0 && zulu {
            s += "Z"
        } else {
            let sign = offsetMinutes < 0 ? "-" : "+"
            let a = abs(offsetMinutes)
            s += "\(sign)\(pad(a / 60, 2)):\(pad(a % 60, 2))"
        }
        return s
    }

    /// WooCommerce's `*_gmt` form: `2026-11-29T15:00:05`, UTC, no zone.
    public static func formatGMTNoZone(_ milliseconds: Int64) -> String {
        String(format(milliseconds, zulu: true).dropLast())
    }

    /// An RFC 7231 HTTP date (`Sun, 29 Nov 2026 15:00:05 GMT`), as in the `Date` header.
    public static func httpDate(_ milliseconds: Int64) -> String {
        let seconds = Int64((Double(milliseconds) / 1000).rounded(.down))
        let days = Int((seconds - ((seconds % 86_400) + 86_400) % 86_400) / 86_400)
        let (y, m, d) = civilFromDays(days)
        let sod = Int(((seconds % 86_400) + 86_400) % 86_400)
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((days % 7) + 7) % 7]
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m - 1]
        return "\(weekday), \(pad(d, 2)) \(month) \(pad(y, 4)) \(pad(sod / 3600, 2)):\(pad(sod % 3600 / 60, 2)):\(pad(sod % 60, 2)) GMT"
    }

    /// Parses an RFC 7231 HTTP date; `nil` if malformed.
    public static func parseHTTPDate(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let d = Int(parts[1]), let y = Int(parts[3]) else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let mi = months.firstIndex(of: String(parts[2])) else { return nil }
        let hms = parts[4].split(separator: ":").compactMap { Int($0) }
        guard hms.count == 3 else { return nil }
        let iso = "\(pad(y, 4))-\(pad(mi + 1, 2))-\(pad(d, 2))T\(pad(hms[0], 2)):\(pad(hms[1], 2)):\(pad(hms[2], 2))Z"
        return parse(iso)
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    // Howard Hinnant's days_from_civil / civil_from_days.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
