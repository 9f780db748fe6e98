import CoreMetrics
import Foundation
import Prometheus
import Synchronization

/// The daemon's metrics: swift-metrics counters and gauges backed by a `PrometheusCollectorRegistry`
/// that this object owns (never the process-wide `MetricsSystem`, which can be bootstrapped once per
/// process, while a process — a test run — may hold several daemons). `/metrics` is the registry's
/// emission (``SyncDaemon/metricsText()``): one `# HELP` and one `# TYPE` line per family, its samples
/// under them.
///
/// Counters kept in memory since the daemon started are incremented as things happen; the figures read
/// from disk or from other objects (inbox depth, held records, lag, the store clients' retry counts) are
/// brought up to date by ``SyncDaemon/metricsText()`` just before emitting. ``stores`` and
/// ``reconciliationPasses`` give the same counts as values, for tests and diagnostics.
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

    /// Every family `/metrics` exports: name, type and help text (docs/operations.md lists them).
    enum Family: String, CaseIterable, Sendable {
        case webhookResponses = "oorden_sync_webhook_responses_total"
        case webhookDuplicates = "oorden_sync_webhook_duplicates_total"
        case inboxDeliveries = "oorden_sync_inbox_deliveries"
        case inboxOldestPending = "oorden_sync_inbox_oldest_pending_seconds"
        case lag = "oorden_sync_lag_seconds"
        case deliveriesProcessed = "oorden_sync_deliveries_processed_total"
        case heldRecords = "oorden_sync_held_records"
        case futureTimesClamped = "oorden_sync_store_future_times_clamped_total"
        case passFailures = "oorden_sync_store_pass_failures_total"
        case webhooksReactivated = "oorden_sync_webhooks_reactivated_total"
        case pushes = "oorden_sync_pushes_total"
        case pushFailures = "oorden_sync_push_failures_total"
        case rateLimited = "oorden_sync_store_rate_limited_total"
        case retries = "oorden_sync_store_retries_total"
        case reconciliationPasses = "oorden_sync_reconciliation_passes_total"
        case receiverConnections = "oorden_sync_receiver_connections"
        case receiverConnectionsShed = "oorden_sync_receiver_connections_shed_total"
        case receiverRequestsTimedOut = "oorden_sync_receiver_requests_timed_out_total"

        var isGauge: Bool {
            switch self {
            case .inboxDeliveries, .inboxOldestPending, .lag, .heldRecords, .receiverConnections: true
            default: false
            }
        }

        var help: String {
            switch self {
            case .webhookResponses: "Webhook requests answered, by store and HTTP status."
            case .webhookDuplicates: "Deliveries already in the inbox (store retries and duplicates)."
            case .inboxDeliveries: "Deliveries in the inbox by status; status=pending is the inbox depth."
            case .inboxOldestPending: "Age of the oldest unprocessed delivery (0 when the inbox is empty)."
            case .lag: "Time since the last completed reconciliation pass over the store."
            case .deliveriesProcessed: "Inbox deliveries ingested into the engine."
            case .heldRecords: "Records held with a reason (oorden-sync problems lists them)."
            case .futureTimesClamped: "Store records whose updated_at lay in the store's future, kept at its present instead."
            case .passFailures: "Reconciliation passes in which the store failed (the other stores were synced)."
            case .webhooksReactivated: "Webhook subscriptions re-activated (the store disabled them) or re-created (missing) by reconciliation."
            case .pushes: "Store writes made."
            case .pushFailures: "Store writes refused or failed."
            case .rateLimited: "HTTP 429 answers received from the store."
            case .retries: "Store requests retried after 429, 5xx or a timeout."
            case .reconciliationPasses: "Reconciliation passes by result."
            case .receiverConnections: "Connections the webhook receiver holds open."
            case .receiverConnectionsShed: "Connections shed at daemon.max_connections: the longest-idle closed (idle_closed) or a new one answered 503 (refused)."
            case .receiverRequestsTimedOut: "Connections closed because a request did not arrive whole within daemon.request_timeout_seconds."
            }
        }
    }

    /// How a reconciliation pass ended.
    enum PassResult: String, CaseIterable { case ok, partial, failed }

    /// The registry the daemon's metrics live in; `emitToString()` renders them.
    public let registry: PrometheusCollectorRegistry
    /// The swift-metrics factory over ``registry`` that every counter and gauge here is made with.
    public let factory: any CoreMetrics.MetricsFactory

    private let state = Mutex<[String: StoreCounters]>([:])
    private let passes = Mutex<(ok: Int, partial: Int, failed: Int)>((0, 0, 0))
    /// For counters mirrored from a total kept elsewhere: the total already counted, by series.
    private let mirrored = Mutex<[String: Int]>([:])

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        factory = HelpTextPrometheusFactory(
            registry: registry, help: Dictionary(uniqueKeysWithValues: Family.allCases.map { ($0.rawValue, $0.help) }))
        for result in PassResult.allCases { _ = counter(.reconciliationPasses, ["result": result.rawValue]) }
    }

    /// A copy of every store's counters.
    public var stores: [String: StoreCounters] { state.withLock { $0 } }

    /// Reconciliation passes: completed over every store (`ok`), completed while some stores failed
    /// (`partial`: the others were synced), and failed as a whole (an engine or Oorden error).
    public var reconciliationPasses: (ok: Int, partial: Int, failed: Int) { passes.withLock { $0 } }

    // MARK: Events

    func webhookAnswered(_ store: String, code: Int) {
        state.withLock { $0[store, default: StoreCounters()].webhookResponses[code, default: 0] += 1 }
        counter(.webhookResponses, ["code": String(code), "store": store]).increment()
    }

    func duplicateDelivery(_ store: String) {
        state.withLock { $0[store, default: StoreCounters()].duplicateDeliveries += 1 }
        counter(.webhookDuplicates, ["store": store]).increment()
    }

    func deliveryProcessed(_ store: String) {
        state.withLock { $0[store, default: StoreCounters()].deliveriesProcessed += 1 }
        counter(.deliveriesProcessed, ["store": store]).increment()
    }

    func pushed(_ store: String, made: Int, failed: Int) {
        state.withLock {
            $0[store, default: StoreCounters()].pushes += made
            $0[store, default: StoreCounters()].pushFailures += failed
        }
        counter(.pushes, ["store": store]).increment(by: made)
        counter(.pushFailures, ["store": store]).increment(by: failed)
    }

    func reconciled(_ store: String, at milliseconds: Int64) {
        state.withLock { $0[store, default: StoreCounters()].lastReconciliation = milliseconds }
    }

    func storeFailedPass(_ store: String, message: String) {
        state.withLock {
            $0[store, default: StoreCounters()].passFailures += 1
            $0[store, default: StoreCounters()].lastFailure = message
        }
        counter(.passFailures, ["store": store]).increment()
    }

    func webhooksRepaired(_ store: String, count: Int) {
        state.withLock { $0[store, default: StoreCounters()].webhooksReactivated += count }
        counter(.webhooksReactivated, ["store": store]).increment(by: count)
    }

    func passFinished(_ result: PassResult) {
        passes.withLock {
            switch result {
            case .ok: $0.ok += 1
            case .partial: $0.partial += 1
            case .failed: $0.failed += 1
            }
        }
        counter(.reconciliationPasses, ["result": result.rawValue]).increment()
    }

    // MARK: Series

    /// The counter of one series; the registry keeps one per family and label set, so this returns
    /// the same series every time. Labels are passed in name order (the order they are emitted in).
    func counter(_ family: Family, _ labels: [String: String]) -> CoreMetrics.Counter {
        precondition(!family.isGauge, "\(family.rawValue) is a gauge")
        return CoreMetrics.Counter(label: family.rawValue, dimensions: Self.ordered(labels), factory: factory)
    }

    /// The gauge of one series (see ``counter(_:_:)``).
    func gauge(_ family: Family, _ labels: [String: String]) -> CoreMetrics.Gauge {
        precondition(family.isGauge, "\(family.rawValue) is a counter")
        return CoreMetrics.Gauge(label: family.rawValue, dimensions: Self.ordered(labels), factory: factory)
    }

    /// Brings a counter whose total is kept elsewhere (a store client's retries, the engine's clamped
    /// times) up to that total. Totals only grow; a smaller one (an older reading) changes nothing.
    func mirror(_ family: Family, _ labels: [String: String], total: Int) {
        let series = counter(family, labels)
        let key = family.rawValue + Self.ordered(labels).map { "\u{0}\($0.0)=\($0.1)" }.joined()
        let delta = mirrored.withLock { seen -> Int in
            let before = seen[key] ?? 0
            guard total > before else { return 0 }
            seen[key] = total
            return total - before
        }
        if delta > 0 { series.increment(by: delta) }
    }

    private static func ordered(_ labels: [String: String]) -> [(String, String)] {
        labels.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

/// A swift-metrics factory over a `PrometheusCollectorRegistry` that gives each family its help text
/// (swift-prometheus's own `PrometheusMetricsFactory` registers every family without one). Counters
/// become Prometheus counters; gauges and meters become Prometheus gauges; the rest (timers, aggregating
/// recorders) go to a `PrometheusMetricsFactory` over the same registry.
struct HelpTextPrometheusFactory: CoreMetrics.MetricsFactory {
    let registry: PrometheusCollectorRegistry
    /// Help text by metric name; a name not listed gets none.
    let help: [String: String]
    private let fallback: PrometheusMetricsFactory

    init(registry: PrometheusCollectorRegistry, help: [String: String]) {
        self.registry = registry
        self.help = help
        fallback = PrometheusMetricsFactory(registry: registry)
    }

    private func descriptor(_ label: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: label, unitName: "", helpText: help[label] ?? "")
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        registry.makeGauge(descriptor: descriptor(label), labels: dimensions)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard !aggregate else { return fallback.makeRecorder(label: label, dimensions: dimensions, aggregate: true) }
        return registry.makeGauge(descriptor: descriptor(label), labels: dimensions)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        fallback.makeTimer(label: label, dimensions: dimensions)
    }

    func destroyCounter(_ handler: any CounterHandler) { fallback.destroyCounter(handler) }
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) { fallback.destroyFloatingPointCounter(handler) }
    func destroyMeter(_ handler: any MeterHandler) { fallback.destroyMeter(handler) }
    func destroyRecorder(_ handler: any RecorderHandler) { fallback.destroyRecorder(handler) }
    func destroyTimer(_ handler: any TimerHandler) { fallback.destroyTimer(handler) }
}
