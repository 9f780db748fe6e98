import SyncCore

/// One write a simulated user made, as the simulator logged it (not as the engine saw it).
struct SimWrite: Sendable, Hashable {
    enum Side: Sendable, Hashable {
        case oorden
        case store(Int)
    }

    var kind: EntityKind
    /// `c<k>@sim.test` or `SIM-<k>`.
    var key: String
    var field: String
    /// Normalized text of the value (prices at scale 2, booleans `true`/`false`).
    var value: String
    /// True time of the write (milliseconds).
    var time: Int64
    var side: Side
    /// A field the user did not touch, but whose record the user edited: sides report one
    /// `updated_at` per record, so a value the engine has not seen yet is stamped with the edit's time.
    var implicit = false
}

/// The winner oracle: which logged write must hold each field, per docs/sync-semantics.md.
///
/// The rule is "later event time wins". The oracle only rules on fields whose last write is at least
/// ``margin`` later than every competing write with a different value: store times have second
/// precision and are corrected by an estimated clock offset, and the engine's clock may have stepped
/// back, so closer races (sub-second ties, the same-second rule, replica-id tie breaks) are not modelled.
/// A field is also left out when an edit of another field of the same record, later than the
/// winner, may have re-stamped an older value of it (record-level `updated_at`, see ``SimWrite/implicit``).
struct SimOracle {
    static let margin: Int64 = 5_000

    /// Expected value per (kind, key, field), for the fields the oracle can rule on.
    static func expected(_ writes: [SimWrite]) -> [String: String] {
        var byField: [String: [SimWrite]] = [:]
        for w in writes { byField[id(w.kind, w.key, w.field), default: []].append(w) }
        var out: [String: String] = [:]
        for (k, ws) in byField {
            let ordered = ws.enumerated().sorted { a, b in
                a.element.time != b.element.time ? a.element.time < b.element.time : a.offset < b.offset
            }.map(\.element)
            let explicit = ordered.filter { !$0.implicit }
            guard let winner = explicit.last else { continue }
            let contested = ws.contains { w in
                w.value != winner.value && (abs(w.time - winner.time) < margin || (w.implicit && w.time > winner.time))
            }
            if !contested { out[k] = winner.value }
        }
        return out
    }

    static func id(_ kind: EntityKind, _ key: String, _ field: String) -> String { "\(kind.rawValue)|\(key)|\(field)" }
}
