/// The one rule for control characters in text that crosses sides: C0 controls (U+0000–U+001F) and
/// DEL (U+007F) are removed, except tab and line breaks in fields that allow them (a note), which
/// elsewhere become a space.
///
/// Applied where text enters the engine — the connectors' record parsers and the engine's ingest of
/// every side — so a NUL can no longer truncate a name in SQLite, and a value is cleaned once, the
/// same way everywhere: the cleaned form is what the shadows hold, so it is never "corrected" back
/// into the store it came from.
///
/// ```swift
/// ControlCharacters.cleaned("Ana\u{0}Luisa\n", keepingLineBreaks: false)   // "AnaLuisa "
/// ```
public enum ControlCharacters {
    /// Canonical fields whose text may span lines.
    public static let multilineFields: Set<String> = ["note", "customer_note", "description", "short_description", "body_html"]

    /// `text` without C0 controls and DEL; tab, CR and LF kept when `keepingLineBreaks`, else each a space.
    public static func cleaned(_ text: String, keepingLineBreaks: Bool) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: out.append(keepingLineBreaks ? scalar : " ")
            case 0x00...0x1F, 0x7F: continue
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// A field's value cleaned by the rule for `field` (strings inside JSON values too, single-line).
    public static func cleaned(_ value: Value, field: String) -> Value {
        switch value {
        case .string(let s): .string(cleaned(s, keepingLineBreaks: multilineFields.contains(field)))
        case .json(let j): .json(cleaned(j))
        default: value
        }
    }

    /// A canonical field's value cleaned by its rule (only a note keeps line breaks).
    package static func cleaned(_ value: Value, field: FieldKey) -> Value {
        cleaned(value, field: field.name)
    }

    static func cleaned(_ json: JSONValue) -> JSONValue {
        switch json {
        case .string(let s): .string(cleaned(s, keepingLineBreaks: false))
        case .array(let a): .array(a.map(cleaned))
        case .object(let o): .object(o.mapValues(cleaned))
        default: json
        }
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool { scalar.value < 0x20 || scalar.value == 0x7F }
}
