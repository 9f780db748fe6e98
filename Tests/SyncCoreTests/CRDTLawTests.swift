import Testing
@testable import SyncCore

/// Random histories over a small universe, so that collisions (equal stamps, same fields) are common.
struct HistoryGenerator {
    var rng: SeededRandom
    let replicas: [ReplicaID]

    init(seed: UInt64) {
        rng = SeededRandom(seed: seed)
        var r = SeededRandom(seed: 0xC0FFEE)
        replicas = (0..<3).map { _ in ReplicaID.random(using: &r) }
    }

    mutating func stamp() -> Stamp {
        Stamp(hlc: HLC(milliseconds: Int64.random(in: 1...4, using: &rng), counter: UInt16.random(in: 0...1, using: &rng)),
              replica: replicas.randomElement(using: &rng)!)
    }

    mutating func value() -> Value {
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: .string(["ana", "luis", "Ana"].randomElement(using: &rng)!)
        case 1: .decimal(ExactDecimal(Int.random(in: 0...2, using: &rng)))
        case 2: .integer(Int64.random(in: 0...2, using: &rng))
        case 3: .bool(Bool.random(using: &rng))
        default: .null
        }
    }

    mutating func register() -> LWWRegister { LWWRegister(value: value(), stamp: stamp()) }

    mutating func map() -> LWWMap {
        var m = LWWMap()
        for _ in 0..<Int.random(in: 0...4, using: &rng) {
            if rng.chance(0.2) { m.delete(stamp: stamp()) } else { m.set(["email", "phone", "name"].randomElement(using: &rng)!, value(), stamp: stamp()) }
        }
        return m
    }

    mutating func counter() -> PNCounter {
        var c = PNCounter()
        for _ in 0..<Int.random(in: 0...4, using: &rng) {
            c.merge(replica: replicas.randomElement(using: &rng)!,
                    PNCounter.Cell(increments: Int64.random(in: 0...5, using: &rng), decrements: Int64.random(in: 0...5, using: &rng)))
        }
        return c
    }
}

@Suite("CRDT laws")
struct CRDTLawTests {
    @Test("the one LWW rule is a strict order: antisymmetric, transitive, the same write only with stamp and value equal (1,000 cases)")
    func lwwOrderIsStrict() {
        var g = HistoryGenerator(seed: 7)
        func order(_ x: LWWRegister, _ y: LWWRegister) -> LWWRegister.Order {
            LWWRegister.order(of: x.stamp, x.value.encoded, against: y.stamp, y.value.encoded)
        }
        for _ in 0..<1_000 {
            let a = g.register(), b = g.register(), c = g.register()
            switch order(a, b) {
            case .supersedes: #expect(order(b, a) == .loses)
            case .loses: #expect(order(b, a) == .supersedes)
            case .sameWrite: #expect(a == b && order(b, a) == .sameWrite)
            }
            if order(a, b) == .supersedes && order(b, c) == .supersedes { #expect(order(a, c) == .supersedes) }
            #expect(order(a, a) == .sameWrite)
            #expect(b.isSuperseded(by: a) == (order(a, b) == .supersedes))
        }
    }

    @Test("LWW register merge is commutative, associative and idempotent (1,000 cases)")
    func registerLaws() {
        var g = HistoryGenerator(seed: 1)
        for _ in 0..<1_000 {
            let a = g.register(), b = g.register(), c = g.register()
            #expect(a.merging(b) == b.merging(a))
            #expect(a.merging(b).merging(c) == a.merging(b.merging(c)))
            #expect(a.merging(a) == a)
            // The winner has the highest stamp.
            #expect(a.merging(b).stamp == max(a.stamp, b.stamp))
        }
    }

    @Test("LWW map merge is commutative, associative and idempotent (1,000 cases)")
    func mapLaws() {
        var g = HistoryGenerator(seed: 2)
        for _ in 0..<1_000 {
            let a = g.map(), b = g.map(), c = g.map()
            #expect(a.merging(b) == b.merging(a))
            #expect(a.merging(b).merging(c) == a.merging(b.merging(c)))
            #expect(a.merging(a) == a)
            #expect(a.merging(b).isDeleted == b.merging(a).isDeleted)
        }
    }

    @Test("PN-counter merge is commutative, associative and idempotent (1,000 cases)")
    func counterLaws() {
        var g = HistoryGenerator(seed: 3)
        for _ in 0..<1_000 {
            let a = g.counter(), b = g.counter(), c = g.counter()
            #expect(a.merging(b) == b.merging(a))
            #expect(a.merging(b).merging(c) == a.merging(b.merging(c)))
            #expect(a.merging(a) == a)
        }
    }

    @Test("a tombstone hides older writes; only a newer write resurrects")
    func tombstone() {
        let r = ReplicaID(high: 1, low: 1)
        func s(_ ms: Int64) -> Stamp { Stamp(hlc: HLC(milliseconds: ms, counter: 0), replica: r) }
        var m = LWWMap()
        m.set("email", .string("ana@example.mx"), stamp: s(10))
        m.delete(stamp: s(20))
        #expect(m.isDeleted)
        m.set("phone", .string("+52 55 1234 5678"), stamp: s(15))   // a late, older edit
        #expect(m.isDeleted)
        m.set("phone", .string("+52 55 8765 4321"), stamp: s(25))   // a newer edit
        #expect(!m.isDeleted)
        #expect(m["phone"] == .string("+52 55 8765 4321"))
        #expect(m.fields.keys.sorted() == ["email", "phone"])
    }

    @Test("stock as a counter: concurrent sale and purchase both count (10 − 1 + 5 = 14)")
    func counterValue() {
        let oorden = ReplicaID(high: 1, low: 0), shop = ReplicaID(high: 2, low: 0)
        var atOorden = PNCounter()
        atOorden.add(10, by: oorden)
        var atShop = atOorden
        atShop.add(-1, by: shop)
        atOorden.add(5, by: oorden)
        #expect(atOorden.merging(atShop).value == 14)
        #expect(atShop.merging(atOorden).value == 14)
    }

    @Test("version vectors merge by per-replica maximum")
    func vectors() {
        let a = ReplicaID(high: 1, low: 0), b = ReplicaID(high: 2, low: 0)
        var v = VersionVector([a: 3])
        v.merge(VersionVector([a: 2, b: 5]))
        #expect(v[a] == 3 && v[b] == 5)
        #expect(v.dominates(VersionVector([a: 3, b: 1])))
        #expect(!v.dominates(VersionVector([a: 4])))
    }

    @Test("change sets round-trip through their JSON document")
    func changeSetJSON() throws {
        var g = HistoryGenerator(seed: 4)
        var rng = SeededRandom(seed: 4)
        let entity = EntityID.random(using: &rng)
        let cs = ChangeSet(
            source: g.replicas[0], senderVector: VersionVector([g.replicas[0]: 2]),
            registers: [RegisterChange(entity: entity, kind: .contact, field: "email", value: .json(["a": [1, "x"]]), stamp: g.stamp(), origin: g.replicas[0], sequence: 1)],
            counters: [CounterChange(entity: entity, kind: .contact, counter: "stock", replica: g.replicas[1], cell: .init(increments: 4, decrements: 1), origin: g.replicas[0], sequence: 2)])
        let back = try ChangeSet(jsonDocument: try JSONValue.parse(cs.jsonDocument().serialized()))
        #expect(back == cs)
        var future = cs.jsonDocument().object!
        future["version"] = 2
        #expect(throws: ChangeSetError.self) { try ChangeSet(jsonDocument: .object(future)) }
    }
}
