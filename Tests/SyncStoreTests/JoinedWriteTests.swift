import Foundation
import Testing
@testable import SyncCore
@testable import SyncStore

/// Writes made through a store joined to an open transaction (`CRDTStore.joined(to:)`).
@Suite("Joined writes")
struct JoinedWriteTests {
    struct Refused: Error {}

    @Test("a joined write is a savepoint: one that throws is undone alone, buffers included; the joined store reads the open transaction")
    func savepoints() throws {
        let store = try memoryStore(61)
        var rng = SeededRandom(seed: 61)
        let kept = EntityID.random(using: &rng), undone = EntityID.random(using: &rng), after = EntityID.random(using: &rng)
        let shop = ReplicaID.random(using: &rng)
        func stamp(_ ms: Int64) -> Stamp { Stamp(hlc: HLC(milliseconds: ms, counter: 0), replica: shop) }
        try store.write { tx in
            let joined = store.joined(to: tx)
            _ = try joined.write { try $0.record(entity: kept, kind: .contact, field: "email", value: .string("a@x.mx"), stamp: stamp(10)) }
            #expect(throws: Refused.self) {
                try joined.write { tx -> Void in
                    try tx.record(entity: undone, kind: .contact, field: "email", value: .string("b@x.mx"), stamp: stamp(11))
                    throw Refused()
                }
            }
            _ = try joined.write { try $0.record(entity: after, kind: .contact, field: "email", value: .string("c@x.mx"), stamp: stamp(12)) }
            #expect(try joined.read { try $0.entity(kept) }?.registers["email"] == .string("a@x.mx"))
            #expect(try joined.read { try $0.entity(undone) } == nil)
        }
        #expect(try store.read { try $0.entity(undone) } == nil)
        // The undone write's local sequence number was given back: the log has no gap.
        let written = try store.changes(since: VersionVector()).registers.sorted { $0.sequence < $1.sequence }
        #expect(written.map(\.entity) == [kept, after])
        #expect(written.map(\.sequence) == [1, 2])
        #expect(try store.versionVector()[store.localReplica] == 2)
    }

    @Test("an error of the write a store is joined to undoes the joined writes too")
    func outerErrorUndoesAll() throws {
        let store = try memoryStore(62)
        var rng = SeededRandom(seed: 62)
        let entity = EntityID.random(using: &rng)
        let shop = ReplicaID.random(using: &rng)
        let before = try store.read { try $0.dump() }
        #expect(throws: Refused.self) {
            try store.write { tx -> Void in
                _ = try store.joined(to: tx).write {
                    try $0.record(entity: entity, kind: .contact, field: "email", value: .string("a@x.mx"),
                                  stamp: Stamp(hlc: HLC(milliseconds: 10, counter: 0), replica: shop))
                }
                throw Refused()
            }
        }
        #expect(try store.read { try $0.dump() } == before)
        #expect(try store.versionVector()[store.localReplica] == 0)
    }
}
