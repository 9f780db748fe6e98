/// Text from stores and Oorden made safe to show on a terminal: control characters (C0 but tab, line
/// feed and carriage return; DEL; C1) and the bidirectional controls that reorder what a line seems
/// to say (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) are shown as `\u{…}` escapes
/// instead of being sent raw — an escape code in a customer's name must not recolour, move or hide
/// what support reads.
///
/// In JSON text the escape is the same character written the JSON way (`\u202E`), so `--json`
/// output stays exact.
///
/// ```swift
/// TerminalText.safe("Ruiz\u{1B}[31m")   // "Ruiz\u001B[31m"
/// ```
enum TerminalText {
    static func safe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: true
        default: false
        }
    }
}

/// `print` for text that carries store or Oorden data: through ``TerminalText/safe(_:)``.
func printSafe(_ text: String, terminator: String = "\n") {
    print(TerminalText.safe(text), terminator: terminator)
}
