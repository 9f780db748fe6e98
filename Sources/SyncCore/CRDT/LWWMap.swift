/// One synced entity: a map from canonical field name to ``LWWRegister``, with a tombstone.
///
/// A delete is the reserved register ``tombstoneField``; the entity is deleted while its tombstone
/// is newer than every field write. A later write resurrects it only if its stamp is newer than the
/// tombstone — a late, older edit never undoes a delete. Merge is per-field register merge, so it
/// inherits commutativity, associativity and idempotence.
///
/// ```swift
/// var contact = LWWMap()
/// contact.set("email", .string("ana@example.mx"), stamp: s1)
/// contact.delete(stamp: s2)
/// contact.isDeleted          // true
/// contact.set("phone", .string("+52…"), stamp: s3)   // s3 > s2: alive again
/// ```
public struct LWWMap: Sendable, Hashable {
    /// The reserved field name of the delete register.
    public static let tombstoneField = "$deleted"

    public private(set) var registers: [String: LWWRegister]

    public init(registers: [String: LWWRegister] = [:]) {
        self.registers = registers
    }

    /// The visible value of a field (nil if never written).
    public subscript(field: String) -> Value? {
        registers[field]?.value
    }

    /// The canonical fields and their values, without the tombstone.
    public var fields: [String: Value] {
        var out: [String: Value] = [:]
        for (k, r) in registers where k != LWWMap.tombstoneField { out[k] = r.value }
        return out
    }

    /// The newest stamp of any field write (tombstone excluded).
    public var latestWrite: Stamp? {
        registers.lazy.filter { $0.key != LWWMap.tombstoneField }.map(\.value.stamp).max()
    }

    public var tombstone: Stamp? { registers[LWWMap.tombstoneField]?.stamp }

    /// Deleted while the tombstone is newer than every field write.
    public var isDeleted: Bool {
        guard let t = tombstone else { return false }
        guard let w = latestWrite else { return true }
        return t > w
    }

    /// Applies one write; returns whether the visible value changed.
    @discardableResult
    public mutating func set(_ field: String, _ value: Value, stamp: Stamp) -> Bool {
        merge(field: field, LWWRegister(value: value, stamp: stamp))
    }

    /// Records a delete at `stamp`.
    public mutating func delete(stamp: Stamp) {
        merge(field: LWWMap.tombstoneField, LWWRegister(value: .bool(true), stamp: stamp))
    }

    /// Merges one register; returns whether the visible value changed.
    @discardableResult
    public mutating func merge(field: String, _ register: LWWRegister) -> Bool {
        if var existing = registers[field] {
            let changed = existing.merge(register)
            registers[field] = existing
            return changed
        }
        registers[field] = register
        return true
    }

    /// Merges every register of `other`; returns the fields whose visible value changed.
    @discardableResult
    public mutating func merge(_ other: LWWMap) -> Set<String> {
        var changed: Set<String> = []
        for (field, r) in other.registers where merge(field: field, r) {
            changed.insert(field)
        }
        return changed
    }

    public func merging(_ other: LWWMap) -> LWWMap {
        var copy = self
        copy.merge(other)
        return copy
    }
}
