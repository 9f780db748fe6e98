/// A record's canonical fields and their values, held by position: one slot per ``FieldKey``.
///
/// What crosses the engine — a store record's canonical view, a shadow, the merged state, a write to
/// Oorden or to a store — is a `FieldValues`. A field is either absent (never written by that side,
/// or not part of the write) or present with a ``Value`` (`.null` when it is empty). Iteration goes
/// in key order, so it is deterministic.
///
/// ```swift
/// var fields: FieldValues = [.email: .string("ana@example.mx"), .firstName: .string("Ana")]
/// fields[.lastName] = .string("López")
/// fields.keys           // [.email, .firstName, .lastName]
/// fields[.phone]        // nil: absent
/// ```
public struct FieldValues: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    public typealias Element = (key: FieldKey, value: Value)

    /// Empty until the first value is set, then one slot per key.
    private var slots: ContiguousArray<Value?>
    /// How many slots hold a value.
    public private(set) var count: Int

    /// No fields.
    public init() {
        slots = []
        count = 0
    }

    public init(dictionaryLiteral elements: (FieldKey, Value)...) {
        self.init()
        for (key, value) in elements {
            precondition(self[key] == nil, "field \(key) given twice")
            self[key] = value
        }
    }

    /// Decodes fields stored by name (a shadow, a queued edit); a name that is no canonical field throws.
    package init(named: [String: Value]) throws {
        self.init()
        for (name, value) in named {
            guard let key = FieldKey(name: name) else {
                throw ValueDecodingError(message: "\"\(name)\" is no canonical field; known: \(FieldKey.names.joined(separator: ", "))")
            }
            self[key] = value
        }
    }

    /// The fields keyed by name, as the engine's database stores them.
    package var named: [String: Value] {
        var out: [String: Value] = [:]
        out.reserveCapacity(count)
        for (key, value) in self { out[key.name] = value }
        return out
    }

    /// The value of `key`, or nil when absent; setting nil removes it.
    public subscript(key: FieldKey) -> Value? {
        get { slots.isEmpty ? nil : slots[key.position] }
        set {
            if slots.isEmpty {
                guard newValue != nil else { return }
                slots = ContiguousArray(repeating: nil, count: FieldKey.allCases.count)
            }
            let had = slots[key.position] != nil
            slots[key.position] = newValue
            count += (newValue != nil ? 1 : 0) - (had ? 1 : 0)
        }
    }

    public var isEmpty: Bool { count == 0 }

    /// The present keys, in key order.
    public var keys: [FieldKey] { map(\.key) }

    /// The fields that `isIncluded` keeps.
    public func filter(_ isIncluded: (Element) throws -> Bool) rethrows -> FieldValues {
        var out = FieldValues()
        for element in self where try isIncluded(element) { out[element.key] = element.value }
        return out
    }

    /// Only the fields among `keys`.
    public func restricted(to keys: some Sequence<FieldKey>) -> FieldValues {
        var out = FieldValues()
        for key in keys { if let value = self[key] { out[key] = value } }
        return out
    }

    /// These fields with `other`'s set over them.
    public func merging(_ other: FieldValues) -> FieldValues {
        var out = self
        out.merge(other)
        return out
    }

    /// Sets every field of `other` over these.
    public mutating func merge(_ other: FieldValues) {
        for (key, value) in other { self[key] = value }
    }

    /// The fields as a JSON object of encoded values, keyed by name: how held records show them.
    package var encodedJSON: JSONValue {
        var object: [String: JSONValue] = [:]
        object.reserveCapacity(count)
        for (key, value) in self { object[key.name] = .string(value.encoded) }
        return .object(object)
    }

    public func makeIterator() -> Iterator { Iterator(slots: slots) }

    /// Present fields in key order.
    public struct Iterator: IteratorProtocol {
        let slots: ContiguousArray<Value?>
        var position = 0

        public mutating func next() -> Element? {
            while position < slots.count {
                defer { position += 1 }
                if let value = slots[position] { return (FieldKey(rawValue: UInt8(position))!, value) }
            }
            return nil
        }
    }

    public static func == (lhs: FieldValues, rhs: FieldValues) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (key, value) in lhs where rhs[key] != value { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for (key, value) in self {
            hasher.combine(key)
            hasher.combine(value)
        }
    }

    public var description: String {
        "[" + map { "\($0.key.name): \($0.value)" }.joined(separator: ", ") + "]"
    }
}

extension FieldValues {
    /// The visible canonical fields of an entity's register map (its tombstone left out); a register
    /// whose name is no canonical field throws.
    package init(registers map: LWWMap) throws {
        self.init()
        for (name, register) in map.registers where name != LWWMap.tombstoneField {
            guard let key = FieldKey(name: name) else {
                throw ValueDecodingError(message: "the entity has a register \"\(name)\" that is no canonical field; known: \(FieldKey.names.joined(separator: ", "))")
            }
            self[key] = register.value
        }
    }
}
