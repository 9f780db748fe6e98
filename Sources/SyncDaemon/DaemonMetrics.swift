import Foundation
import Synchronization

/// Counters the daemon keeps in memory since it started, rendered with the inbox and engine
/// figures as Prometheus text by ``SyncDaemon/metricsText()``.
public final class DaemonMetrics: Sendable {
    /// Per-store counters.
    public struct StoreCounters: Sendable, Hashable {
        /// Webhook requests answered, by HTTP status.
        public var webhookResponses: [Int: Int] = [:]
        /// Deliveries refused as duplicates of one already in the inbox.
        public var duplicateDeliveries = 0
        /// Store writes that succeeded / failed.
        public var pushes = 0
        public var pushFailures = 0
        /// Milliseconds since the epoch of the last completed reconciliation pass over this store.
        public var lastReconciliation: Int64?
        /// Deliveries ingested from the inbox.
        public var deliveriesProcessed = 0
        /// Reconciliation passes this store failed in (unreachable, credentials refused, …) while
        /// the other stores were synced; its last failure says why.
        public var passFailures = 0
        public var lastFailure: String?
        /// Webhook subscriptions a reconciliation pass re-activated (WooCommerce disabled them after
        /// failed deliveries) or re-created (missing).
        public var webhooksReactivated = 0
    }

    private let state = Mutex<[String: StoreCounters]>([:])
    private let passes = Mutex<(ok: Int, partial: Int, failed: Int)>((0, 0, 0))

    public init() {}

    /// A copy of every store's counters.
    public var stores: [String: StoreCounters] { state.withLock { $0 } }

    /// Reconciliation passes: completed over every store (`ok`), completed while some stores failed
    /// (`partial`: the others were synced), and failed as a whole (an engine or Oorden error).
    public var reconciliationPasses: (ok: Int, partial: Int, failed: Int) { passes.withLock { $0 } }

    func update(_ store: String, _ body: (inout StoreCounters) -> Void) {
        state.withLock { body(&$0[store, default: StoreCounters()]) }
    }

    /// How a reconciliation pass ended.
    enum PassResult { case ok, partial, failed }

    func passFinished(_ result: PassResult) {
        passes.withLock {
            switch result {
            case .ok: $0.ok += 1
            case .partial: $0.partial += 1
            case .failed: $0.failed += 1
            }
        }
    }
}
