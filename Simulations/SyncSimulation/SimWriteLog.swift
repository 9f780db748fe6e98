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
    /// How far behind true time the ledger's clock was (Oorden writes; 0 for store writes): the
    /// ledger time of the write is `time - ledgerLag`.
    var ledgerLag: Int64 = 0
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
///
/// When the ledger's clock has stepped back, an Oorden write is stamped anywhere between its ledger
/// time and its true time, so a store write that close is a race too; two Oorden writes keep their
/// true order whatever the ledger's clock says (Oorden's clock ticks), so between them only the
/// margin counts.
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
                w.value != winner.value && (mayBeClose(w, winner) || (w.implicit && w.time > winner.time))
            }
            if !contested { out[k] = winner.value }
        }
        return out
    }

    /// Whether the stamps of two writes may lie closer than ``margin``: the distance between the
    /// spans they may be stamped in (a store write near its true time; an Oorden write from its ledger
    /// time to its true time, unless both are Oorden's).
    static func mayBeClose(_ a: SimWrite, _ b: SimWrite) -> Bool {
        let bothOorden = a.side == .oorden && b.side == .oorden
        let aEarliest = bothOorden ? a.time : a.time - a.ledgerLag
        let bEarliest = bothOorden ? b.time : b.time - b.ledgerLag
        return max(aEarliest, bEarliest) - min(a.time, b.time) < margin
    }

    static func id(_ kind: EntityKind, _ key: String, _ field: String) -> String { "\(kind.rawValue)|\(key)|\(field)" }
}
