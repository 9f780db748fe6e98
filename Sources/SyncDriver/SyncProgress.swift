import SyncCore

/// Where a pass is, for progress displays: reported after every page pulled and every write pushed.
public struct SyncProgress: Sendable, Hashable {
    public enum Phase: Sendable, Hashable {
        /// Reading a store's records of a kind.
        case pulling(EntityKind)
        /// Writing to a store.
        case pushing
    }

    public var store: String
    public var phase: Phase
    public var done: Int
    /// The total when the store says it (Shopify `count.json`, WooCommerce `X-WP-Total`).
    public var total: Int?

    public init(store: String, phase: Phase, done: Int, total: Int?) {
        self.store = store
        self.phase = phase
        self.done = done
        self.total = total
    }
}

/// Receives progress reports; called on the pass's task, in order.
public typealias SyncProgressHandler = @Sendable (SyncProgress) -> Void
