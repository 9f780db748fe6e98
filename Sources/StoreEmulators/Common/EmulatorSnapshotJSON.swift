import Foundation
import SyncCore

/// A value the snapshot stores as its canonical JSON text, so numbers keep their exact literal.
protocol EmulatorSnapshotJSONRepresentable: Sendable, Hashable {
    var snapshotJSON: JSONValue { get }
    init(snapshotJSON: JSONValue) throws
}

extension JSONValue: EmulatorSnapshotJSONRepresentable {
    var snapshotJSON: JSONValue { self }
    init(snapshotJSON: JSONValue) throws { self = snapshotJSON }
}

extension Dictionary: EmulatorSnapshotJSONRepresentable where Key == String, Value == JSONValue {
    var snapshotJSON: JSONValue { .object(self) }
    init(snapshotJSON: JSONValue) throws {
        guard case .object(let fields) = snapshotJSON else { throw EmulatorSnapshotJSONError() }
        self = fields
    }
}

extension Array: EmulatorSnapshotJSONRepresentable where Element == [String: JSONValue] {
    var snapshotJSON: JSONValue { .array(map { .object($0) }) }
    init(snapshotJSON: JSONValue) throws {
        guard case .array(let items) = snapshotJSON else { throw EmulatorSnapshotJSONError() }
        self = try items.map { try [String: JSONValue](snapshotJSON: $0) }
    }
}

extension Optional: EmulatorSnapshotJSONRepresentable where Wrapped == [String: JSONValue] {
    var snapshotJSON: JSONValue { map { .object($0) } ?? .null }
    init(snapshotJSON: JSONValue) throws {
        self = snapshotJSON.isNull ? nil : try [String: JSONValue](snapshotJSON: snapshotJSON)
    }
}

struct EmulatorSnapshotJSONError: Error, CustomStringConvertible {
    var description: String { "an embedded JSON field has the wrong shape" }
}

/// Marks a record field holding free-form JSON: in a snapshot it is written as its canonical JSON
/// text, because `JSONValue` keeps numbers as exact literals that `Codable` numbers cannot carry.
@propertyWrapper
struct SnapshotJSON<Value: EmulatorSnapshotJSONRepresentable>: Sendable, Hashable, Codable {
    var wrappedValue: Value

    init(wrappedValue: Value) {
        self.wrappedValue = wrappedValue
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(decoding: wrappedValue.snapshotJSON.jsonData, as: UTF8.self))
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            wrappedValue = try Value(snapshotJSON: JSONValue.parse(text))
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "embedded JSON: \(error)")
        }
    }
}
