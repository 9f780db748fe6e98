import Foundation
import SyncCore

/// Strict decoding of the configuration file with `Codable`: the helpers every section uses, and
/// the translation of `DecodingError` into a ``ConfigurationError`` that names the key path.
///
/// `JSONDecoder` alone is lenient in the ways that hurt a configuration file: it ignores unknown
/// keys (a typo silently takes the default) and keeps one of two duplicated keys. Unknown keys are
/// refused by ``Swift/Decoder/strictObject(_:)``; duplicated keys are refused earlier, by
/// ``SyncCore/JSONValue/parse(_:rejectingDuplicateKeys:)``, because no decoder can see them.
enum ConfigurationDecoding {
    /// Decodes the sections of `doc`, every failure a ``ConfigurationError`` with the key path.
    static func decode(_ doc: JSONValue) throws -> ConfigurationFile {
        do {
            return try JSONDecoder().decode(ConfigurationFile.self, from: doc.jsonData)
        } catch let error as DecodingError {
            throw configurationError(error, in: doc)
        }
    }

    /// What went wrong, said with the path and the value found there.
    static func configurationError(_ error: DecodingError, in doc: JSONValue) -> ConfigurationError {
        switch error {
        case .typeMismatch(let type, let context):
            return mismatch(expected: expectation(type), at: context.codingPath, in: doc)
        case .valueNotFound(let type, let context):
            return mismatch(expected: expectation(type), at: context.codingPath, in: doc)
        case .keyNotFound(let key, let context):
            return ConfigurationError(key: ConfigurationPath.text(context.codingPath + [key]), message: "is missing")
        case .dataCorrupted(let context):
            // JSONDecoder says this for a number that is not a whole number that fits (60.5, 1e30),
            // sometimes without a path; ``KeyedDecodingContainer/number(_:in:default:_:)`` adds it.
            guard !context.codingPath.isEmpty else {
                return ConfigurationError(key: nil, message: "a value does not have the type its key needs: \(context.debugDescription)")
            }
            return mismatch(expected: "a whole number", at: context.codingPath, in: doc)
        @unknown default:
            return ConfigurationError(key: nil, message: "\(error)")
        }
    }

    static func mismatch(expected: String, at path: [any CodingKey], in doc: JSONValue) -> ConfigurationError {
        guard !path.isEmpty else { return ConfigurationError(key: nil, message: "the configuration must be a JSON object") }
        let found = ConfigurationPath.value(at: path, in: doc)
        var message = "must be \(expected), got \(found.map(describe) ?? "nothing")"
        if expected == "a whole number", let text = found?.string, Int(text) != nil {
            message += "; write it without quotes: \(text)"
        } else if expected == "true or false", let text = found?.string, ["true", "false"].contains(text) {
            message += "; write it without quotes: \(text)"
        }
        return ConfigurationError(key: ConfigurationPath.text(path), message: message)
    }

    static func expectation(_ type: Any.Type) -> String {
        if type == Int.self { return "a whole number" }
        if type == String.self { return "a string" }
        if type == Bool.self { return "true or false" }
        let name = "\(type)"
        if name.hasPrefix("Array") { return "a list" }
        return "an object"
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let b): "\(b)"
        case .number(let text): text
        case .string: "a string (\(value.jsonText.prefix(60)))"
        case .array: "a list"
        case .object: "an object"
        }
    }
}

/// A coding key for any name, to list an object's keys whether known or not.
struct AnyConfigurationKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// A value's place in the file as messages write it: `stores[0].url`.
enum ConfigurationPath {
    static func text(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return out
    }

    static func value(at path: [any CodingKey], in doc: JSONValue) -> JSONValue? {
        var value: JSONValue? = doc
        for key in path {
            value = key.intValue.map { value?[$0] } ?? value?[key.stringValue]
        }
        return value
    }
}

extension Decoder {
    /// The object at this place, refusing any key not in `Keys` (it is usually a typo) by its path
    /// and with the keys known here.
    func strictObject<Keys: CodingKey & CaseIterable>(_: Keys.Type) throws -> KeyedDecodingContainer<Keys> {
        let all = try container(keyedBy: AnyConfigurationKey.self)
        let known = Keys.allCases.map(\.stringValue)
        if let unknown = all.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            throw ConfigurationError(key: ConfigurationPath.text(codingPath + [AnyConfigurationKey(unknown)]),
                                     message: "is not a known key; known here: \(known.sorted().joined(separator: ", "))")
        }
        return try container(keyedBy: Keys.self)
    }
}

extension KeyedDecodingContainer {
    /// The key's path in the file, for messages.
    func path(_ key: Key) -> String { ConfigurationPath.text(codingPath + [key]) }

    /// A value that must be there (`null` counts as missing); `hint` says what to add.
    func required<T: Decodable>(_ key: Key, _ hint: String = "") throws -> T {
        guard let value = try decodeIfPresent(T.self, forKey: key) else {
            throw ConfigurationError(key: path(key), message: "is missing" + hint)
        }
        return value
    }

    /// A non-empty string, or nil when the key is absent (or `null`).
    func text(_ key: Key) throws -> String? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard !text.isEmpty else { throw ConfigurationError(key: path(key), message: "must be a non-empty string") }
        return text
    }

    /// A non-empty string that must be there.
    func requiredText(_ key: Key, _ hint: String = "") throws -> String {
        guard let text = try text(key) else { throw ConfigurationError(key: path(key), message: "is missing" + hint) }
        return text
    }

    /// A whole number in `range`, `fallback` when absent; `meaning` completes "must be …".
    func number(_ key: Key, in range: ClosedRange<Int>, default fallback: Int, _ meaning: String) throws -> Int {
        let value: Int?
        do {
            value = try decodeIfPresent(Int.self, forKey: key)
        } catch let error as DecodingError {
            throw error
        } catch {
            // JSONDecoder's error for 60.5 or 1e30 is internal (it becomes a `dataCorrupted` without
            // a coding path at the top); this place knows the key.
            let found = (try? decodeIfPresent(Double.self, forKey: key)).flatMap { $0 }.map { "\($0)" } ?? "a number that is not whole"
            throw ConfigurationError(key: path(key), message: "must be \(meaning), got \(found)")
        }
        guard let n = value else { return fallback }
        guard range.contains(n) else { throw ConfigurationError(key: path(key), message: "must be \(meaning), got \(n)") }
        return n
    }
}
