import SyncCore
import SyncEngine

/// What one sync pass did, per store and in Oorden: the numbers the CLI prints and tests assert.
public struct SyncPassSummary: Sendable, Hashable {
    /// Per store: records pulled and what ingest did with them.
    public struct StoreCounts: Sendable, Hashable {
        public var contactsPulled = 0
        public var productsPulled = 0
        public var created = 0
        public var linked = 0
        public var updated = 0
        public var unchanged = 0
        public var stale = 0
        public var held = 0
        /// Linked records a complete scan no longer found: deleted in the store.
        public var deleted = 0
        public var pushed = 0
        /// Updates not sent because the store's record had changed since the engine last saw it: the
        /// change was merged first and the entity is planned again (read-merge-write).
        public var superseded = 0
        /// Orders read, and the Oorden documents they produced in this pass.
        public var ordersPulled = 0
        public var ordersHeld = 0
        public var salesOrders = 0
        public var sales = 0
        public var cancellations = 0
        public var creditNotes = 0
        public var pushFailures = 0
        public var requests = 0

        public init() {}

        /// The orders line the CLI prints for a store: orders read, the Oorden documents they
        /// produced, and how many are held (`oorden-sync problems` says why).
        public var ordersText: String {
            "pulled \(ordersPulled) orders: \(salesOrders) sales orders, \(sales) sales, \(cancellations) cancellations, "
                + "\(creditNotes) credit notes created in Oorden; \(ordersHeld) held"
        }

        mutating func count(_ outcomes: [IngestOutcome]) {
            for o in outcomes {
                switch o.status {
                case .created: created += 1
                case .linked: linked += 1
                case .updated: updated += 1
                case .unchanged: unchanged += 1
                case .stale: stale += 1
                case .held: held += 1
                }
            }
        }
    }

    public var stores: [String: StoreCounts] = [:]
    /// The stores that failed this pass, by name: each was skipped from its failing step on, the
    /// others were synced. A store here may also be in ``stores`` with what it did before failing.
    public var failures: [String: StoreFailure] = [:]
    public var oordenChanges = 0
    public var oordenCreates = 0
    public var oordenUpdates = 0
    public var oordenLinks = 0
    /// Projection rounds until nothing was left to push (or the bound was reached).
    public var rounds = 0
    /// Held records after the pass.
    public var heldRecords = 0

    public init() {}

    /// Whether some stores failed while others were synced: the pass did what it could, not all.
    public var isPartial: Bool { !failures.isEmpty }

    /// Writes sent to all stores.
    public var totalPushes: Int { stores.values.reduce(0) { $0 + $1.pushed } }
}
