/// The kind of a synced entity.
public enum EntityKind: String, Sendable, Hashable, Codable, CaseIterable {
    case contact, product, order
}

/// One register write as it travels between engine replicas.
public struct RegisterChange: Sendable, Hashable {
    public var entity: EntityID
    public var kind: EntityKind
    public var field: String
    public var value: Value
    /// Who wrote the value and when: decides the winner.
    public var stamp: Stamp
    /// The engine database that first recorded the write (not necessarily its author: an engine
    /// records store writes on the store replica's behalf). With ``sequence`` it places the write
    /// in that database's change log, which version vectors count.
    public var origin: ReplicaID
    /// The origin's sequence number for this write.
    public var sequence: Int64

    public init(entity: EntityID, kind: EntityKind, field: String, value: Value, stamp: Stamp, origin: ReplicaID, sequence: Int64) {
        self.entity = entity
        self.kind = kind
        self.field = field
        self.value = value
        self.stamp = stamp
        self.origin = origin
        self.sequence = sequence
    }

    public var register: LWWRegister { LWWRegister(value: value, stamp: stamp) }
}

/// One replica's counter cell as it travels between engine replicas.
public struct CounterChange: Sendable, Hashable {
    public var entity: EntityID
    public var kind: EntityKind
    /// The counter's name within the entity (`"stock"`).
    public var counter: String
    /// The replica whose deltas the cell totals (only that side's observations raise it).
    public var replica: ReplicaID
    public var cell: PNCounter.Cell
    /// The engine database that recorded the cell's latest raise, and its sequence number for it.
    public var origin: ReplicaID
    public var sequence: Int64

    public init(entity: EntityID, kind: EntityKind, counter: String, replica: ReplicaID, cell: PNCounter.Cell, origin: ReplicaID, sequence: Int64) {
        self.entity = entity
        self.kind = kind
        self.counter = counter
        self.replica = replica
        self.cell = cell
        self.origin = origin
        self.sequence = sequence
    }
}

/// What one engine replica sends another: every write the receiver lacks, and the sender's vector.
///
/// After applying all of ``registers`` and ``counters``, the receiver's state dominates every write
/// that ``senderVector`` covers, so it merges ``senderVector`` into its own. Applying the same change
/// set twice, or change sets in any order, gives the same state.
public struct ChangeSet: Sendable, Hashable {
    /// The current wire format version; readers refuse newer ones.
    public static let formatVersion = 1

    public var source: ReplicaID
    public var senderVector: VersionVector
    public var registers: [RegisterChange]
    public var counters: [CounterChange]

    public init(source: ReplicaID, senderVector: VersionVector, registers: [RegisterChange] = [], counters: [CounterChange] = []) {
        self.source = source
        self.senderVector = senderVector
        self.registers = registers
        self.counters = counters
    }

    public var isEmpty: Bool { registers.isEmpty && counters.isEmpty }
}

/// Why a change set could not be read; nothing from it was applied.
public struct ChangeSetError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case malformed, unsupportedVersion, truncated, corrupt
    }

    public let code: Code
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "change set \(code.rawValue): \(message)" }
}

extension ChangeSet {
    /// The canonical JSON document of this change set (sorted keys; rows as arrays).
    ///
    /// `{"format":"oorden-sync.changeset","version":1,"source":"…","vector":{"…":17},
    ///   "registers":[[entity,kind,field,encodedValue,hlc,replica,origin,seq],…],
    ///   "counters":[[entity,kind,counter,replica,increments,decrements,origin,seq],…]}`
    public func jsonDocument() -> JSONValue {
        var vector: [String: JSONValue] = [:]
        for (r, s) in senderVector.entries { vector[r.hex] = .number(String(s)) }
        return .object([
            "format": "oorden-sync.changeset",
            "version": .integer(ChangeSet.formatVersion),
            "source": .string(source.hex),
            "vector": .object(vector),
            "registers": .array(registers.map { c in
                .array([.string(c.entity.hex), .string(c.kind.rawValue), .string(c.field), .string(c.value.encoded),
                        .number(String(c.stamp.hlc.rawValue)), .string(c.stamp.replica.hex), .string(c.origin.hex),
                        .number(String(c.sequence))])
            }),
            "counters": .array(counters.map { c in
                .array([.string(c.entity.hex), .string(c.kind.rawValue), .string(c.counter), .string(c.replica.hex),
                        .number(String(c.cell.increments)), .number(String(c.cell.decrements)), .string(c.origin.hex),
                        .number(String(c.sequence))])
            }),
        ])
    }

    /// Reads ``jsonDocument()`` back, validating every row before returning anything.
    public init(jsonDocument doc: JSONValue) throws {
        func fail(_ m: String) -> ChangeSetError { ChangeSetError(code: .malformed, message: m) }
        guard doc["format"]?.string == "oorden-sync.changeset" else {
            throw fail("not an OordenSync change set (missing \"format\": \"oorden-sync.changeset\")")
        }
        guard let version = doc["version"]?.int else { throw fail("missing \"version\"") }
        guard version <= ChangeSet.formatVersion else {
            throw ChangeSetError(code: .unsupportedVersion,
                                 message: "format version \(version) is newer than this build reads (\(ChangeSet.formatVersion)); upgrade oorden-sync")
        }
        guard let sourceHex = doc["source"]?.string, let source = ReplicaID(hex: sourceHex) else { throw fail("bad \"source\" replica id") }
        guard let vectorObject = doc["vector"]?.object else { throw fail("missing \"vector\"") }
        var vector = VersionVector()
        for (k, v) in vectorObject {
            guard let r = ReplicaID(hex: k), let s = v.int, s >= 0 else { throw fail("bad vector entry \"\(k.prefix(40))\"") }
            vector.observe(r, Int64(s))
        }
        guard let registerRows = doc["registers"]?.array, let counterRows = doc["counters"]?.array else {
            throw fail("missing \"registers\" or \"counters\"")
        }
        var registers: [RegisterChange] = []
        registers.reserveCapacity(registerRows.count)
        for (i, row) in registerRows.enumerated() {
            guard let a = row.array, a.count == 8,
                  let e = a[0].string.flatMap(EntityID.init(hex:)),
                  let k = a[1].string.flatMap(EntityKind.init(rawValue:)),
                  let f = a[2].string, !f.isEmpty,
                  let ev = a[3].string,
                  case .number(let hlcText) = a[4], let hlc = UInt64(hlcText),
                  let r = a[5].string.flatMap(ReplicaID.init(hex:)),
                  let o = a[6].string.flatMap(ReplicaID.init(hex:)),
                  let seq = a[7].int, seq > 0
            else { throw fail("register row \(i) is malformed") }
            let value: Value
            do { value = try Value(encoded: ev) } catch { throw fail("register row \(i): \(error)") }
            guard HLC(rawValue: hlc).milliseconds <= HLC.maxMilliseconds else { throw fail("register row \(i): clock out of range") }
            registers.append(RegisterChange(entity: e, kind: k, field: f, value: value, stamp: Stamp(hlc: HLC(rawValue: hlc), replica: r), origin: o, sequence: Int64(seq)))
        }
        var counters: [CounterChange] = []
        for (i, row) in counterRows.enumerated() {
            guard let a = row.array, a.count == 8,
                  let e = a[0].string.flatMap(EntityID.init(hex:)),
                  let k = a[1].string.flatMap(EntityKind.init(rawValue:)),
                  let name = a[2].string, !name.isEmpty,
                  let r = a[3].string.flatMap(ReplicaID.init(hex:)),
                  let inc = a[4].int, inc >= 0, let dec = a[5].int, dec >= 0,
                  let o = a[6].string.flatMap(ReplicaID.init(hex:)),
                  let seq = a[7].int, seq > 0
            else { throw fail("counter row \(i) is malformed") }
            counters.append(CounterChange(entity: e, kind: k, counter: name, replica: r,
                                          cell: PNCounter.Cell(increments: Int64(inc), decrements: Int64(dec)), origin: o, sequence: Int64(seq)))
        }
        self.init(source: source, senderVector: vector, registers: registers, counters: counters)
    }
}
