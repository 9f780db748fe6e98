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

    /// Where an incoming write stands against a stored one (``order(of:_:against:_:)``).
    public enum Order: Sendable, Hashable {
        /// The incoming write replaces the stored one.
        case supersedes
        /// The stored write stays.
        case loses
        /// One stamp and one value: the same write, seen again (or recorded twice).
        case sameWrite
    }

    /// The last-writer-wins rule, defined once for the in-memory register and the SQLite store
    /// (`CRDTTransaction.merge`): the higher ``Stamp`` wins; under one stamp, the larger canonical
    /// encoding wins, so merge stays commutative, associative and idempotent even for corrupt input.
    ///
    /// The encodings are read only when the stamps are equal.
    public static func order(of incoming: Stamp, _ incomingEncoded: @autoclosure () -> String,
                             against stored: Stamp, _ storedEncoded: @autoclosure () -> String) -> Order {
        if incoming != stored { return incoming > stored ? .supersedes : .loses }
        let (new, old) = (incomingEncoded(), storedEncoded())
        if new == old { return .sameWrite }
        return new > old ? .supersedes : .loses
    }

    /// Whether `other` should replace `self` under the LWW rule.
    public func isSuperseded(by other: LWWRegister) -> Bool {
        Self.order(of: other.stamp, other.value.encoded, against: stamp, value.encoded) == .supersedes
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
