/// A PN-counter: per-replica grow-only totals of increments and decrements.
///
/// Stock is a counter, not a register: a store sale (−1) and an Oorden purchase (+5) at the same
/// moment must both count (10 − 1 + 5 = 14), which LWW on an absolute level cannot do. Each replica
/// only ever raises its own totals; merge takes the per-replica maximum, so it is commutative,
/// associative and idempotent, and the value is Σ increments − Σ decrements.
///
/// ```swift
/// var stock = PNCounter()
/// stock.add(10, by: oorden)
/// stock.add(-1, by: shopify)
/// stock.value     // 9
/// ```
public struct PNCounter: Sendable, Hashable {
    /// One replica's totals.
    public struct Cell: Sendable, Hashable {
        public var increments: Int64
        public var decrements: Int64

        public init(increments: Int64 = 0, decrements: Int64 = 0) {
            precondition(increments >= 0 && decrements >= 0, "PN-counter totals are never negative")
            self.increments = increments
            self.decrements = decrements
        }

        public var net: Int64 { increments - decrements }

        /// Per-component maximum.
        public func merging(_ other: Cell) -> Cell {
            Cell(increments: max(increments, other.increments), decrements: max(decrements, other.decrements))
        }
    }

    public private(set) var cells: [ReplicaID: Cell]

    public init(cells: [ReplicaID: Cell] = [:]) {
        self.cells = cells
    }

    /// Σ increments − Σ decrements.
    public var value: Int64 {
        cells.values.reduce(0) { $0 + $1.net }
    }

    /// Records a delta made by `replica` (only a replica itself adds to its own cell).
    public mutating func add(_ delta: Int64, by replica: ReplicaID) {
        var cell = cells[replica] ?? Cell()
        if delta >= 0 { cell.increments += delta } else { cell.decrements += -delta }
        cells[replica] = cell
    }

    /// Merges one replica's cell; returns whether it changed.
    @discardableResult
    public mutating func merge(replica: ReplicaID, _ cell: Cell) -> Bool {
        let existing = cells[replica]
        let merged = (existing ?? Cell()).merging(cell)
        if existing == merged { return false }
        cells[replica] = merged
        return true
    }

    @discardableResult
    public mutating func merge(_ other: PNCounter) -> Bool {
        var changed = false
        for (r, c) in other.cells where merge(replica: r, c) { changed = true }
        return changed
    }

    public func merging(_ other: PNCounter) -> PNCounter {
        var copy = self
        copy.merge(other)
        return copy
    }
}
