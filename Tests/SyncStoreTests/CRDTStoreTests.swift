import Foundation
import Testing
@testable import SyncCore
@testable import SyncStore

/// A universe of replicas, entities and fields small enough that random change sets collide.
struct ChangeSetGenerator {
    var rng: SeededRandom
    let authors: [ReplicaID]
    let origins: [ReplicaID]
    let entities: [EntityID]
    var nextSequence: [ReplicaID: Int64] = [:]

    init(seed: UInt64) {
        rng = SeededRandom(seed: seed)
        var ids = SeededRandom(seed: 0xABCDEF)
        authors = (0..<3).map { _ in ReplicaID.random(using: &ids) }
        origins = (0..<3).map { _ in ReplicaID.random(using: &ids) }
        entities = (0..<4).map { _ in EntityID.random(using: &ids) }
    }

    func kind(of e: EntityID) -> EntityKind { e.low % 2 == 0 ? .contact : .product }

    /// One change set as an origin would send it: contiguous sequence numbers, its own vector.
    mutating func changeSet() -> ChangeSet {
        let origin = origins.randomElement(using: &rng)!
        var registers: [RegisterChange] = []
        var counters: [CounterChange] = []
        var cells: [String: PNCounter.Cell] = [:]
        for _ in 0..<Int.random(in: 1...6, using: &rng) {
            let seq = (nextSequence[origin] ?? 0) + 1
            nextSequence[origin] = seq
            let e = entities.randomElement(using: &rng)!
            if rng.chance(0.25) {
                // Counter cells only grow, and only their own origin raises them.
                let key = "\(e.hex)"
                var cell = cells[key] ?? PNCounter.Cell(increments: Int64(seq), decrements: 0)
                cell.increments += Int64.random(in: 0...3, using: &rng)
                cell.decrements += Int64.random(in: 0...3, using: &rng)
                cells[key] = cell
                counters.append(CounterChange(entity: e, kind: kind(of: e), counter: "stock", replica: origin, cell: cell, origin: origin, sequence: seq))
            } else {
                let field = rng.chance(0.15) ? LWWMap.tombstoneField : ["email", "phone", "name"].randomElement(using: &rng)!
                let value: Value = field == LWWMap.tombstoneField ? .bool(true) : [.string("ana"), .string("luis"), .null, .integer(1)].randomElement(using: &rng)!
                let stamp = Stamp(hlc: HLC(milliseconds: Int64.random(in: 1_000...1_003, using: &rng), counter: UInt16.random(in: 0...1, using: &rng)),
                                  replica: authors.randomElement(using: &rng)!)
                registers.append(RegisterChange(entity: e, kind: kind(of: e), field: field, value: value, stamp: stamp, origin: origin, sequence: seq))
            }
        }
        return ChangeSet(source: origin, senderVector: VersionVector([origin: nextSequence[origin]!]), registers: registers, counters: counters)
    }
}

func memoryStore(_ n: UInt64) throws -> CRDTStore {
    var rng = SeededRandom(seed: n)
    return try CRDTStore.open(path: nil, newReplica: ReplicaID.random(using: &rng))
}

@Suite("CRDT store")
struct CRDTStoreTests {
    @Test("the same change sets in shuffled orders give identical table dumps (1,000 cases)")
    func databaseLevelLaws() async throws {
        var g = ChangeSetGenerator(seed: 77)
        for i in 0..<1_000 {
            // A thousand cases hold a thread for tens of seconds: give the pool back between cases.
            await Task.yield()
            let sets = (0..<Int.random(in: 1...5, using: &g.rng)).map { _ in g.changeSet() }
            var dumps: Set<String> = []
            for j in 0..<3 {
                let store = try memoryStore(UInt64(i * 10 + j))
                var order = sets
                order.shuffle(using: &g.rng)
                // Idempotence: some change sets arrive twice.
                if j == 2, let again = sets.randomElement(using: &g.rng) { order.insert(again, at: Int.random(in: 0...order.count, using: &g.rng)) }
                for cs in order { try store.apply(cs, physical: 2_000) }
                dumps.insert(try store.read { try $0.dump() })
            }
            #expect(dumps.count == 1, "case \(i): databases diverged:\n\(dumps.joined(separator: "\n----\n"))")
            if dumps.count != 1 { break }
        }
    }

    @Test("relay: a third replica that hears both writes of one value keeps the higher stamp")
    func relay() throws {
        let a = try memoryStore(1), b = try memoryStore(2), c = try memoryStore(3)
        var rng = SeededRandom(seed: 5)
        let entity = EntityID.random(using: &rng)
        let low = Stamp(hlc: HLC(milliseconds: 1_000, counter: 0), replica: a.localReplica)
        let high = Stamp(hlc: HLC(milliseconds: 2_000, counter: 0), replica: b.localReplica)
        try a.write { try $0.record(entity: entity, kind: .contact, field: "email", value: .string("ana@example.mx"), stamp: low) }
        try b.write { try $0.record(entity: entity, kind: .contact, field: "email", value: .string("ana@example.mx"), stamp: high) }
        // c hears b first, then a: the equal value must not let a's older stamp replace b's.
        try c.apply(try b.changes(since: VersionVector()), physical: 3_000)
        try c.apply(try a.changes(since: VersionVector()), physical: 3_000)
        let stored = try #require(try c.read { try $0.entity(entity) })
        #expect(stored.registers.registers["email"]?.stamp == high)
        // And the other order.
        let d = try memoryStore(4)
        try d.apply(try a.changes(since: VersionVector()), physical: 3_000)
        try d.apply(try b.changes(since: VersionVector()), physical: 3_000)
        #expect(try d.read { try $0.entity(entity) }?.registers.registers["email"]?.stamp == high)
        #expect(try c.read { try $0.dump() } == d.read { try $0.dump() })
    }

    @Test("merge reports exactly the fields whose value changed")
    func changeReport() throws {
        let store = try memoryStore(9)
        var rng = SeededRandom(seed: 9)
        let e = EntityID.random(using: &rng)
        let r = ReplicaID.random(using: &rng)
        func s(_ ms: Int64) -> Stamp { Stamp(hlc: HLC(milliseconds: ms, counter: 0), replica: r) }
        let first = try store.write { try $0.record(entity: e, kind: .contact, field: "phone", value: .string("1"), stamp: s(10)) }
        #expect(first?.oldValue == nil && first?.newValue == .string("1"))
        // Newer stamp, same value: wins but no visible change.
        #expect(try store.write { try $0.record(entity: e, kind: .contact, field: "phone", value: .string("1"), stamp: s(11)) } == nil)
        // Older stamp: loses.
        #expect(try store.write { try $0.record(entity: e, kind: .contact, field: "phone", value: .string("0"), stamp: s(5)) } == nil)
        let change = try store.write { try $0.record(entity: e, kind: .contact, field: "phone", value: .string("2"), stamp: s(12)) }
        #expect(change?.oldValue == .string("1") && change?.newValue == .string("2"))
        #expect(try store.read { try $0.entity(e) }?.registers["phone"] == .string("2"))
    }

    @Test("changes(since:) sends exactly what the peer lacks and converges peers")
    func deltaSync() throws {
        let a = try memoryStore(21), b = try memoryStore(22)
        var rng = SeededRandom(seed: 21)
        let e1 = EntityID.random(using: &rng), e2 = EntityID.random(using: &rng)
        let shop = ReplicaID.random(using: &rng)
        try a.write { tx in
            try tx.record(entity: e1, kind: .contact, field: "email", value: .string("a@x.mx"), stamp: Stamp(hlc: HLC(milliseconds: 10, counter: 0), replica: shop))
            try tx.recordCounterDelta(entity: e2, kind: .product, counter: "stock", replica: shop, delta: 10)
        }
        let first = try a.changes(since: try b.versionVector())
        #expect(first.registers.count == 1 && first.counters.count == 1)
        try b.apply(first, physical: 100)
        #expect(try a.changes(since: try b.versionVector()).isEmpty)
        try a.write { tx in
            try tx.recordCounterDelta(entity: e2, kind: .product, counter: "stock", replica: shop, delta: -1)
        }
        let second = try a.changes(since: try b.versionVector())
        #expect(second.registers.isEmpty && second.counters.count == 1)
        try b.apply(second, physical: 100)
        #expect(try b.read { try $0.entity(e2) }?.counters["stock"]?.value == 9)
        // b relays to c what it learned from a.
        let c = try memoryStore(23)
        try c.apply(try b.changes(since: try c.versionVector()), physical: 100)
        #expect(try c.read { try $0.dump() } == a.read { try $0.dump() })
    }

    @Test("clocks persist their high-water mark: a restart with a slow wall clock never reissues a stamp")
    func clockPersistence() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oorden-clock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("engine.sqlite").path
        var rng = SeededRandom(seed: 31)
        let replica = ReplicaID.random(using: &rng)
        let oorden = ReplicaID.random(using: &rng)
        var last: Stamp
        do {
            let store = try CRDTStore.open(path: path, newReplica: replica)
            last = try store.write { tx in
                _ = try tx.tick(replica: oorden, physical: 5_000)
                return try tx.tick(replica: oorden, physical: 5_000)
            }
        }
        let reopened = try CRDTStore.open(path: path, newReplica: ReplicaID.random(using: &rng))
        #expect(reopened.localReplica == replica)
        let next = try reopened.write { try $0.tick(replica: oorden, physical: 1_000) }   // wall clock went back 4 s
        #expect(next > last)
        #expect(try reopened.read { try $0.clockHighWaters() }[oorden] == next.hlc)
        // A rolled-back transaction leaves the persisted mark alone, and the next reading still grows.
        struct Abort: Error {}
        #expect(throws: Abort.self) { try reopened.write { tx -> Void in _ = try tx.tick(replica: oorden, physical: 9_000); throw Abort() } }
        #expect(try reopened.read { try $0.clockHighWaters() }[oorden] == next.hlc)
    }

    @Test("applying a change set observes its newest remote time, clamping one far in the future")
    func applyObservesClock() throws {
        let store = try memoryStore(41)
        var g = ChangeSetGenerator(seed: 41)
        var cs = g.changeSet()
        cs.registers = [RegisterChange(entity: g.entities[0], kind: g.kind(of: g.entities[0]), field: "email", value: .string("x"),
                                       stamp: Stamp(hlc: HLC(milliseconds: 10_000_000, counter: 0), replica: g.authors[0]),
                                       origin: cs.source, sequence: cs.senderVector[cs.source])]
        cs.counters = []
        let report = try store.apply(cs, physical: 1_000)
        #expect(report.clampedReadings.count == 1)
        #expect(report.clampedReadings.map(\.aheadByMilliseconds) == [10_000_000 - 1_000])
        // The write itself still merged: data is never rewritten, only the clock refuses to jump.
        #expect(report.changedFields.count == 1)
        #expect(try store.read { try $0.clockHighWaters() }[store.localReplica]!.milliseconds == 1_000)
    }

    @Test("an entity's kind never changes; a conflicting change set is refused whole")
    func kindConflict() throws {
        let store = try memoryStore(51)
        var rng = SeededRandom(seed: 51)
        let e = EntityID.random(using: &rng)
        let r = ReplicaID.random(using: &rng)
        try store.write { try $0.record(entity: e, kind: .contact, field: "email", value: .string("a"), stamp: Stamp(hlc: HLC(milliseconds: 1, counter: 0), replica: r)) }
        let before = try store.read { try $0.dump() }
        let bad = ChangeSet(source: r, senderVector: VersionVector([r: 2]), registers: [
            RegisterChange(entity: EntityID.random(using: &rng), kind: .order, field: "note", value: .string("ok"), stamp: Stamp(hlc: HLC(milliseconds: 2, counter: 0), replica: r), origin: r, sequence: 1),
            RegisterChange(entity: e, kind: .product, field: "sku", value: .string("A"), stamp: Stamp(hlc: HLC(milliseconds: 2, counter: 0), replica: r), origin: r, sequence: 2),
        ])
        #expect(throws: SyncStoreError.self) { try store.apply(bad, physical: 10) }
        #expect(try store.read { try $0.dump() } == before)
    }
}
