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
    /// How each reconciliation pass keeps the stores' webhook subscriptions; nil: it does not.
    let webhooks: WebhookRegistration.Plan?
    private let state = Mutex(State())

    /// - Parameter webhooks: when set, every reconciliation pass checks each store's subscriptions to
    ///   this daemon and repairs them (``WebhookRegistration/upkeep(_:plan:)``): WooCommerce disables a
    ///   webhook after more than 5 failed deliveries in a row and never retries, so downtime would
    ///   otherwise silence it for good. `oorden-sync run` always sets it.
    public init(driver: SyncDriver, inbox: WebhookInbox, stores: [WebhookReceiver.StoreSecret], settings: Settings,
                clock: any WallClock, logger: Logger, webhooks: WebhookRegistration.Plan? = nil) {
        self.driver = driver
        self.webhooks = webhooks
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
                metrics.reconciled(ep.link, at: started)
            }
            for (store, failure) in summary.failures {
                metrics.storeFailedPass(store, message: failure.message)
            }
            metrics.passFinished(summary.isPartial ? .partial : .ok)
            await keepWebhooks(skipping: Set(summary.failures.keys))
        } catch {
            metrics.passFinished(.failed)
            logger.error("reconciliation pass failed; it runs again next interval", metadata: ["error": "\(error)"])
        }
    }

    /// Repairs each reachable store's webhook subscriptions (``WebhookRegistration/upkeep(_:plan:)``),
    /// logging and counting (`oorden_sync_webhooks_reactivated_total`) what was brought back. A store
    /// that refuses is logged and tried again next pass; the sync itself is not affected.
    func keepWebhooks(skipping failed: Set<String>) async {
        guard let plan = webhooks else { return }
        for ep in driver.endpoints where !failed.contains(ep.link) {
            do {
                let done = try await WebhookRegistration.upkeep(try driver.platform(for: ep.link), plan: plan)
                if done.repaired > 0 {
                    metrics.webhooksRepaired(ep.link, count: done.repaired)
                    logger.warning("webhook subscriptions repaired (the store had disabled or lost them)", metadata: [
                        "store": "\(ep.link)", "reactivated": "\(done.reactivated.joined(separator: ","))", "created": "\(done.created.joined(separator: ","))",
                    ])
                }
                if !done.unaddressed.isEmpty {
                    logger.warning("webhook topics not subscribed and no address known; start with --register-webhooks URL", metadata: [
                        "store": "\(ep.link)", "topics": "\(done.unaddressed.joined(separator: ","))",
                    ])
                }
            } catch {
                logger.error("checking the store's webhook subscriptions failed; tried again next pass", metadata: ["store": "\(ep.link)", "error": "\(error)"])
            }
        }
    }

    private func record(_ summary: SyncPassSummary) {
        for (store, c) in summary.stores {
            metrics.pushed(store, made: c.pushed, failed: c.pushFailures)
        }
    }

    // MARK: Metrics

    /// Everything measurable, as Prometheus text exposition (version 0.0.4), emitted by the daemon's
    /// `PrometheusCollectorRegistry` (``DaemonMetrics/registry``). The figures read from disk or from
    /// other objects — inbox rows and their age, lag, held records, the engine's clamped store times,
    /// the store clients' 429s and retries — are set just before emitting; every configured store has
    /// its per-store series, at zero until something is counted.
    public func metricsText() async -> String {
        let now = clock.nowMilliseconds()
        let stores = metrics.stores
        let names = Set(driver.endpoints.map(\.link)).union(stores.keys).sorted()

        for name in names {
            // Registering a series makes it appear at zero.
            _ = metrics.counter(.webhookDuplicates, ["store": name])
            _ = metrics.counter(.deliveriesProcessed, ["store": name])
            _ = metrics.counter(.passFailures, ["store": name])
            _ = metrics.counter(.webhooksReactivated, ["store": name])
            _ = metrics.counter(.pushes, ["store": name])
            _ = metrics.counter(.pushFailures, ["store": name])
        }

        let counts = (try? inbox.counts()) ?? [:]
        let oldest = (try? inbox.oldestPending()) ?? [:]
        let held = Dictionary(grouping: (try? driver.engine.heldRecords()) ?? [], by: \.link)
        for name in names {
            for status in InboxDelivery.Status.allCases {
                metrics.gauge(.inboxDeliveries, ["store": name, "status": status.rawValue]).record(counts[name]?[status] ?? 0)
            }
            metrics.gauge(.inboxOldestPending, ["store": name]).record(oldest[name].map { Double(max(0, now - $0)) / 1000 } ?? 0)
            if let last = stores[name]?.lastReconciliation {
                metrics.gauge(.lag, ["store": name]).record(Double(max(0, now - last)) / 1000)
            }
            metrics.gauge(.heldRecords, ["store": name]).record(held[name]?.count ?? 0)
        }

        metrics.mirror(.futureTimesClamped, [:], total: driver.engine.futureStoreTimesClamped)
        for ep in driver.endpoints {
            guard let client = ep.transport as? StoreClient else { continue }
            let stats = await client.statistics
            metrics.mirror(.rateLimited, ["store": ep.link], total: stats.rateLimitedResponses)
            metrics.mirror(.retries, ["store": ep.link], total: stats.retries)
        }
        let connections = receiver.connectionCounts
        metrics.gauge(.receiverConnections, [:]).record(connections.open)
        metrics.mirror(.receiverConnectionsShed, ["action": "idle_closed"], total: connections.idleClosed)
        metrics.mirror(.receiverConnectionsShed, ["action": "refused"], total: connections.refused)
        metrics.mirror(.receiverRequestsTimedOut, [:], total: connections.timedOut)
        return metrics.registry.emitToString()
    }
}

/// Lets the receiver's metrics closure reach the daemon that owns the receiver, set once after init.
private final class MetricsSource: @unchecked Sendable {
    // Written once in SyncDaemon.init before the receiver can serve; read-only afterwards.
    weak var daemon: SyncDaemon?
}
