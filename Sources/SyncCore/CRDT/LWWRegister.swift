/// A last-writer-wins register: one value and the stamp of the write that set it.
///
/// Merge keeps the write with the higher ``Stamp``. Equal stamps denote the same write; should two
/// different values ever carry one stamp (corrupt input), the larger canonical encoding wins, so
/// merge stays commutative, associative and idempotent even then.
///
/// ```swift
/// var r = LWWRegister(value: .string("Ana"), stamp: s1)
/// r.merge(LWWRegister(value: .string("Ana María"), stamp: s2))   // s2 > s1: "Ana María"
/// ```
public struct LWWRegister: Sendable, Hashable {
    public private(set) var value: Value
    public private(set) var stamp: Stamp

    public init(value: Value, stamp: Stamp) {
        self.value = value
        self.stamp = stamp
    }

    /// Whether `other` should replace `self` under the LWW rule.
    public func isSuperseded(by other: LWWRegister) -> Bool {
        if other.stamp != stamp { return other.stamp > stamp }
        return other.value != value && other.value.encoded > value.encoded
    }

    /// Merges `other` in; returns whether the visible value changed.
    @discardableResult
    public mutating func merge(_ other: LWWRegister) -> Bool {
        guard isSuperseded(by: other) else { return false }
        let changed = other.value != value
        self = other
        return changed
    }

    public func merging(_ other: LWWRegister) -> LWWRegister {
        var copy = self
        copy.merge(other)
        return copy
    }
}
