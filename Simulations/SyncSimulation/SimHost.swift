import SyncCore
import SyncEngine

/// A deliberately broken rule the simulator must catch (the mutation test).
public enum SimMutation: String, Sendable, Hashable, CaseIterable {
    /// No mutation: the real engine.
    case none
    /// Oorden's change times reach the engine 10 minutes in the past, so the engine's winner rule
    /// no longer sees Oorden edits as the later ones: store edits win edits they lost.
    case oordenTimesInPast = "oorden-times-in-past"
}

/// The Oorden host the simulated engine talks to: the reference ``OordenLedgerHost``, optionally
/// with a mutation applied to what it reports.
struct SimHost: OordenHost {
    let inner: OordenLedgerHost
    let mutation: SimMutation

    private var shift: Int64 { mutation == .oordenTimesInPast ? -600_000 : 0 }

    func companyCurrency() throws -> String? { try inner.companyCurrency() }

    func changes(after cursor: Int64, limit: Int) throws -> [HostChange] {
        try inner.changes(after: cursor, limit: limit).map { c in
            var c = c
            c.time += shift
            return c
        }
    }

    func record(_ kind: EntityKind, id: String) throws -> HostRecord? { try inner.record(kind, id: id).map(shifted) }
    func find(_ kind: EntityKind, naturalKey: String) throws -> HostRecord? { try inner.find(kind, naturalKey: naturalKey).map(shifted) }

    func create(_ kind: EntityKind, fields: [String: Value], origin: ReplicaID) throws -> HostRecord {
        shifted(try inner.create(kind, fields: fields, origin: origin))
    }

    func update(_ kind: EntityKind, id: String, fields: [String: Value], origin: ReplicaID) throws -> HostRecord {
        shifted(try inner.update(kind, id: id, fields: fields, origin: origin))
    }

    private func shifted(_ r: HostRecord) -> HostRecord {
        var r = r
        r.updatedAt += shift
        return r
    }
}
