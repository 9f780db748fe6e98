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
    public var oordenChanges = 0
    public var oordenCreates = 0
    public var oordenUpdates = 0
    public var oordenLinks = 0
    /// Projection rounds until nothing was left to push (or the bound was reached).
    public var rounds = 0
    /// Held records after the pass.
    public var heldRecords = 0

    public init() {}

    /// Writes sent to all stores.
    public var totalPushes: Int { stores.values.reduce(0) { $0 + $1.pushed } }
}
