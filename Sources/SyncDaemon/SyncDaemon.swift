import Connectors
import Foundation
import Logging
import Synchronization
import SyncCore
import SyncDriver
import SyncEngine

/// The long-running service behind `oorden-sync run`: the webhook receiver, the inbox processor and
/// the periodic reconciliation pass, over one engine and one Oorden host.
///
/// ```swift
/// let daemon = SyncDaemon(driver: driver, inbox: inbox, stores: secrets, settings: settings, clock: clock, logger: logger)
/// let port = try await daemon.start()   // the receiver is listening
/// await daemon.run()                     // until stop() is called
/// ```
///
/// Work is done one step at a time on the task that calls ``run()``: a batch of inbox deliveries,
/// then (if they changed anything) a push of what they changed, then — when the interval has passed
/// on the injected clock — a reconciliation pass (incremental pulls, complete scans when due). ``stop()`` closes the receiver at once; the
/// step in progress finishes and ``run()`` returns. Nothing is held only in memory: what was received
/// and not processed is in the inbox, and the next start processes it.
public final class SyncDaemon: Sendable {
    /// Tuning for one daemon.
    public struct Settings: Sendable, Hashable {
        /// The receiver's address; keep loopback unless a reverse proxy forwards to it.
        public var listenHost = "127.0.0.1"
        /// `0` picks a free port.
        public var listenPort = 0
        /// Webhook bodies larger than this are answered 413.
        public var maxBodyBytes = 1 << 20
        /// The receiver's connection cap, idle timeout and whole-request timeout
        /// (`daemon.max_connections`, default 512; `daemon.idle_timeout_seconds`, 15;
        /// `daemon.request_timeout_seconds`, 30). They bound the descriptors and time any client can
        /// hold, so a flood of connections or a slow client cannot stop `/healthz` from answering.
        public var receiverLimits = ReceiverLimits()
        /// Time between reconciliation passes (injected clock).
        public var reconciliationIntervalMilliseconds: Int64 = 300_000
        /// Whether the first reconciliation pass runs at once on ``run()`` (else one interval later).
        public var reconcileOnStart = true
        /// How reconciliation passes pull: incremental from cursors, with periodic complete scans.
        public var polling = PollingPolicy.incremental
        /// How long a processed delivery's body stays in the inbox (`daemon.inbox_retention_days`,
        /// default 30 days); nil keeps bodies for ever. The delivery's row stays for deduplication.
        public var inboxRetentionMilliseconds: Int64? = 30 * 86_400_000
        /// How often the run loop prunes inbox bodies past the retention (injected clock; hourly).
        public var inboxPruneIntervalMilliseconds: Int64 = 3_600_000
        /// How long ``run()`` waits (real time) when there is nothing to do; a delivery stored by the
        /// receiver wakes it at once.
        public var idleMilliseconds = 100

        public init() {}
    }

    private struct State: Sendable {
        var stopRequested = false
        var lastReconciliation: Int64?
        var lastPrune: Int64?
    }

    public let driver: SyncDriver
    public let inbox: WebhookInbox
    public let metrics = DaemonMetrics()
    public let settings: Settings
    let receiver: WebhookReceiver
    let wake: DaemonWakeSignal
    let processor: InboxProcessor
    let clock: any WallClock
    let logger: Logger
    private let state = Mutex(State())

    public init(driver: SyncDriver, inbox: WebhookInbox, stores: [WebhookReceiver.StoreSecret], settings: Settings,
                clock: any WallClock, logger: Logger) {
        self.driver = driver
        self.inbox = inbox
        self.settings = settings
        self.clock = clock
        self.logger = logger
        let metrics = self.metrics
        processor = InboxProcessor(driver: driver, inbox: inbox, clock: clock, metrics: metrics, logger: logger)
        let box = MetricsSource()
        let wake = DaemonWakeSignal()
        self.wake = wake
        receiver = WebhookReceiver(stores: stores, inbox: inbox, clock: clock, metrics: metrics, maxBodyBytes: settings.maxBodyBytes,
                                   limits: settings.receiverLimits, host: settings.listenHost, port: settings.listenPort,
                                   metricsText: { await box.daemon?.metricsText() ?? "" }, onStored: { wake.signal() }, logger: logger)
        box.daemon = self
    }

    /// The receiver's bound port while running.
    public var port: Int? { receiver.port }

    /// Starts the webhook receiver; returns its port.
    @discardableResult
    public func start() async throws -> Int {
        try await receiver.start()
    }

    /// Processes the inbox and reconciles until ``stop()``; returns after the step in progress.
    public func run() async {
        if !settings.reconcileOnStart { state.withLock { $0.lastReconciliation = clock.nowMilliseconds() } }
        while !state.withLock({ $0.stopRequested }) {
            var worked = false
            do {
                worked = try await drainInbox() > 0
            } catch {
                logger.error("inbox processing failed; retrying", metadata: ["error": "\(error)"])
            }
            if state.withLock({ $0.stopRequested }) { break }
            let now = clock.nowMilliseconds()
            let due = state.withLock { s in s.lastReconciliation.map { now - $0 >= settings.reconciliationIntervalMilliseconds } ?? true }
            if due {
                await reconcile()
                worked = true
            }
            pruneInboxIfDue(at: now)
            if !worked { await wake.wait(upToMilliseconds: settings.idleMilliseconds) }
        }
        logger.info("daemon stopped")
    }

    /// Stops intake (the receiver closes) and asks ``run()`` to return after its current step.
    public func stop() async {
        state.withLock { $0.stopRequested = true }
        wake.signal()
        await receiver.stop()
    }

    /// Processes every pending delivery, then projects and pushes what they changed. Returns how many
    /// deliveries were handled. Used by ``run()``; tests call it directly.
    @discardableResult
    public func drainInbox(batchSize: Int = 200) async throws -> Int {
        var total = 0
        var changed = 0
        while true {
            let batch = try await processor.processBatch(limit: batchSize)
            total += batch.total
            changed += batch.changed
            if batch.total < batchSize || state.withLock({ $0.stopRequested }) { break }
        }
        if changed > 0 {
            let summary = try await driver.pushPending()
            record(summary)
        }
        return total
    }

    /// Drops the bodies of deliveries processed longer ago than ``Settings/inboxRetentionMilliseconds``
    /// (``WebhookInbox/pruneBodies(processedBefore:at:)``); returns how many. Used by ``run()`` every
    /// ``Settings/inboxPruneIntervalMilliseconds``; tests call it directly.
    @discardableResult
    public func pruneInbox() throws -> Int {
        guard let retention = settings.inboxRetentionMilliseconds else { return 0 }
        let now = clock.nowMilliseconds()
        let pruned = try inbox.pruneBodies(processedBefore: now - retention, at: now)
        if pruned > 0 { logger.info("inbox bodies past the retention dropped", metadata: ["deliveries": "\(pruned)"]) }
        return pruned
    }

    private func pruneInboxIfDue(at now: Int64) {
        let due = state.withLock { s in s.lastPrune.map { now - $0 >= settings.inboxPruneIntervalMilliseconds } ?? true }
        guard due else { return }
        state.withLock { $0.lastPrune = now }
        do {
            try pruneInbox()
        } catch {
            logger.error("pruning the inbox failed; it is tried again in an hour", metadata: ["error": "\(error)"])
        }
    }

    /// One reconciliation pass over every store (``SyncDriver/pass(maxRounds:polling:progress:)``),
    /// pulling as ``Settings/polling`` says: incremental from cursors, complete when a scan is due.
    ///
    /// A store that fails (``SyncPassSummary/failures``) is counted in
    /// `oorden_sync_store_pass_failures_total` and logged by the driver; the other stores are synced and
    /// the failing one is tried again next interval. The pass fails as a whole only for an engine or
    /// Oorden error.
    public func reconcile() async {
        let started = clock.nowMilliseconds()
        state.withLock { $0.lastReconciliation = started }
        do {
            let summary = try await driver.pass(polling: settings.polling)
            record(summary)
            // A store that failed is not reconciled (its lag keeps growing); the others are.
            for ep in driver.endpoints where summary.stores[ep.link] != nil && summary.failures[ep.link] == nil {
                metrics.update(ep.link) { $0.lastReconciliation = started }
            }
            for (store, failure) in summary.failures {
                metrics.update(store) { $0.passFailures += 1; $0.lastFailure = failure.message }
            }
            metrics.passFinished(summary.isPartial ? .partial : .ok)
        } catch {
            metrics.passFinished(.failed)
            logger.error("reconciliation pass failed; it runs again next interval", metadata: ["error": "\(error)"])
        }
    }

    private func record(_ summary: SyncPassSummary) {
        for (store, c) in summary.stores {
            metrics.update(store) { $0.pushes += c.pushed; $0.pushFailures += c.pushFailures }
        }
    }

    // MARK: Metrics

    /// Everything measurable, as Prometheus text exposition (version 0.0.4).
    public func metricsText() async -> String {
        var out = MetricsWriter()
        let now = clock.nowMilliseconds()
        let stores = metrics.stores
        let names = Set(driver.endpoints.map(\.link)).union(stores.keys).sorted()

        out.family("oorden_sync_webhook_responses_total", "counter", "Webhook requests answered, by store and HTTP status.")
        for name in names {
            for (code, n) in (stores[name]?.webhookResponses ?? [:]).sorted(by: { $0.key < $1.key }) {
                out.sample("oorden_sync_webhook_responses_total", ["store": name, "code": String(code)], Double(n))
            }
        }
        out.family("oorden_sync_webhook_duplicates_total", "counter", "Deliveries already in the inbox (store retries and duplicates).")
        for name in names { out.sample("oorden_sync_webhook_duplicates_total", ["store": name], Double(stores[name]?.duplicateDeliveries ?? 0)) }

        let counts = (try? inbox.counts()) ?? [:]
        out.family("oorden_sync_inbox_deliveries", "gauge", "Deliveries in the inbox by status; status=pending is the inbox depth.")
        for name in names {
            for status in InboxDelivery.Status.allCases {
                out.sample("oorden_sync_inbox_deliveries", ["store": name, "status": status.rawValue], Double(counts[name]?[status] ?? 0))
            }
        }
        let oldest = (try? inbox.oldestPending()) ?? [:]
        out.family("oorden_sync_inbox_oldest_pending_seconds", "gauge", "Age of the oldest unprocessed delivery (0 when the inbox is empty).")
        for name in names {
            out.sample("oorden_sync_inbox_oldest_pending_seconds", ["store": name], oldest[name].map { Double(max(0, now - $0)) / 1000 } ?? 0)
        }
        out.family("oorden_sync_lag_seconds", "gauge", "Time since the last completed reconciliation pass over the store.")
        for name in names {
            if let last = stores[name]?.lastReconciliation {
                out.sample("oorden_sync_lag_seconds", ["store": name], Double(max(0, now - last)) / 1000)
            }
        }
        out.family("oorden_sync_deliveries_processed_total", "counter", "Inbox deliveries ingested into the engine.")
        for name in names { out.sample("oorden_sync_deliveries_processed_total", ["store": name], Double(stores[name]?.deliveriesProcessed ?? 0)) }

        let held = Dictionary(grouping: (try? driver.engine.heldRecords()) ?? [], by: \.link)
        out.family("oorden_sync_held_records", "gauge", "Records held with a reason (oorden-sync problems lists them).")
        for name in names { out.sample("oorden_sync_held_records", ["store": name], Double(held[name]?.count ?? 0)) }

        out.family("oorden_sync_store_future_times_clamped_total", "counter",
                   "Store records whose updated_at lay in the store's future, kept at its present instead.")
        out.sample("oorden_sync_store_future_times_clamped_total", [:], Double(driver.engine.futureStoreTimesClamped))

        out.family("oorden_sync_store_pass_failures_total", "counter", "Reconciliation passes in which the store failed (the other stores were synced).")
        for name in names { out.sample("oorden_sync_store_pass_failures_total", ["store": name], Double(stores[name]?.passFailures ?? 0)) }

        out.family("oorden_sync_pushes_total", "counter", "Store writes made.")
        for name in names { out.sample("oorden_sync_pushes_total", ["store": name], Double(stores[name]?.pushes ?? 0)) }
        out.family("oorden_sync_push_failures_total", "counter", "Store writes refused or failed.")
        for name in names { out.sample("oorden_sync_push_failures_total", ["store": name], Double(stores[name]?.pushFailures ?? 0)) }

        out.family("oorden_sync_store_rate_limited_total", "counter", "HTTP 429 answers received from the store.")
        out.family("oorden_sync_store_retries_total", "counter", "Store requests retried after 429, 5xx or a timeout.")
        for ep in driver.endpoints {
            guard let client = ep.transport as? StoreClient else { continue }
            let stats = await client.statistics
            out.sample("oorden_sync_store_rate_limited_total", ["store": ep.link], Double(stats.rateLimitedResponses))
            out.sample("oorden_sync_store_retries_total", ["store": ep.link], Double(stats.retries))
        }
        let connections = receiver.connectionCounts
        out.family("oorden_sync_receiver_connections", "gauge", "Connections the webhook receiver holds open.")
        out.sample("oorden_sync_receiver_connections", [:], Double(connections.open))
        out.family("oorden_sync_receiver_connections_shed_total", "counter",
                   "Connections shed at daemon.max_connections: the longest-idle closed (idle_closed) or a new one answered 503 (refused).")
        out.sample("oorden_sync_receiver_connections_shed_total", ["action": "idle_closed"], Double(connections.idleClosed))
        out.sample("oorden_sync_receiver_connections_shed_total", ["action": "refused"], Double(connections.refused))
        out.family("oorden_sync_receiver_requests_timed_out_total", "counter",
                   "Connections closed because a request did not arrive whole within daemon.request_timeout_seconds.")
        out.sample("oorden_sync_receiver_requests_timed_out_total", [:], Double(connections.timedOut))
        let passes = metrics.reconciliationPasses
        out.family("oorden_sync_reconciliation_passes_total", "counter", "Reconciliation passes by result.")
        out.sample("oorden_sync_reconciliation_passes_total", ["result": "ok"], Double(passes.ok))
        out.sample("oorden_sync_reconciliation_passes_total", ["result": "partial"], Double(passes.partial))
        out.sample("oorden_sync_reconciliation_passes_total", ["result": "failed"], Double(passes.failed))
        return out.text
    }
}

/// Lets the receiver's metrics closure reach the daemon that owns the receiver, set once after init.
private final class MetricsSource: @unchecked Sendable {
    // Written once in SyncDaemon.init before the receiver can serve; read-only afterwards.
    weak var daemon: SyncDaemon?
}
