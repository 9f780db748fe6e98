import SyncCore

/// The ledger-clock fault of a seed's op list: after an Oorden user's field edit, the ledger's clock
/// steps back and the same user edits the same field again, so the later edit carries the earlier
/// ledger time. The winner oracle expects the later edit to win (Oorden's clock ticks).
///
/// Its draws come from a stream of their own, so every other op of a seed is what it was before
/// this fault existed.
struct LedgerClockFaults {
    private var random: SeededRandom
    let probability: Double
    /// How far the ledger's clock has stepped back so far; the steps stop at ``maxTotal``.
    private(set) var total: Int64 = 0

    /// Five minutes: beyond that the oracle would rule on few Oorden-vs-store races.
    static let maxTotal: Int64 = 300_000

    init(seed: UInt64, probability: Double) {
        random = SeededRandom(seed: seed ^ 0x1ED6_E5C1_0CC0_BACC)
        self.probability = probability
    }

    /// The ops that follow `edit` when the fault strikes: the second edit comes 5.5–15 s later (far
    /// enough apart for the oracle to rule), after a sync pass half the time (the engine then holds
    /// the first edit, with the later ledger time, when the second arrives); the clock steps back
    /// 1 s–3 min. Empty for any other op, or when the dice say no.
    mutating func ops(after edit: SimOp, tag: String) -> [SimOp] {
        guard Self.editsAField(edit), random.chance(probability), total + 1_000 <= Self.maxTotal,
              let second = secondEdit(after: edit, tag: tag)
        else { return [] }
        let back = Int64.random(in: 1_000...min(180_000, Self.maxTotal - total), using: &random)
        total += back
        let gap = Int64.random(in: 5_500...15_000, using: &random)
        let pass: [SimOp] = random.chance(0.5) ? [.pass] : []
        return [.advance(milliseconds: gap / 2)] + pass + [.ledgerClockBack(milliseconds: back), .advance(milliseconds: gap - gap / 2), second]
    }

    static func editsAField(_ op: SimOp) -> Bool {
        switch op {
        case .ledgerEditContact, .ledgerEditProduct: true
        default: false
        }
    }

    /// The same Oorden user edit of the same field with another value; nil unless `edit` is an Oorden
    /// field edit.
    private mutating func secondEdit(after edit: SimOp, tag: String) -> SimOp? {
        switch edit {
        case let .ledgerEditContact(key, field, _):
            let value = field == "phone" ? "+52155" + String(Int.random(in: 10_000_000...99_999_999, using: &random)) : "O-\(tag)-late"
            return .ledgerEditContact(key: key, field: field, value: value)
        case let .ledgerEditProduct(key, field, _):
            let value = field == "price" ? "\(Int.random(in: 10...999, using: &random)).\(Int.random(in: 10...99, using: &random))" : "Prod O-\(tag)-late"
            return .ledgerEditProduct(key: key, field: field, value: value)
        default:
            return nil
        }
    }
}
