import SyncCore
import SyncEngine

/// How a pass pulls each store and kind: a complete scan, or an incremental pull from the kind's
/// cursor (``SyncEngine/pollCursor(link:kind:)``) minus an overlap window.
///
/// A complete scan reads every record; it is the only pull that detects deletions (a linked record it
/// did not see was deleted), so ``SyncEngine/reconcileScan(link:kind:seen:snapshotAt:)`` runs only after one.
/// An incremental pull asks Shopify for `updated_at_min` and WooCommerce products for
/// `modified_after`. WooCommerce customers have no such filter: they are read only by complete scans
/// (webhooks carry their changes in between).
///
/// ```swift
/// var polling = PollingPolicy.incremental
/// polling.completeScanIntervalMilliseconds = 3_600_000   // a complete scan at least hourly
/// let summary = try await driver.pass(polling: polling)
/// ```
public struct PollingPolicy: Sendable, Hashable {
    /// Always scan completely (``SyncDriver/pass(maxRounds:polling:progress:)``'s default).
    public var forceComplete: Bool
    /// A store and kind whose last complete scan is older than this is scanned completely.
    public var completeScanIntervalMilliseconds: Int64
    /// Incremental pulls start this long before the cursor (plus the store's estimated clock offset),
    /// so a record committed late with an older `updated_at` is not missed.
    public var overlapMilliseconds: Int64

    public init(forceComplete: Bool, completeScanIntervalMilliseconds: Int64 = 3_600_000, overlapMilliseconds: Int64 = 300_000) {
        self.forceComplete = forceComplete
        self.completeScanIntervalMilliseconds = completeScanIntervalMilliseconds
        self.overlapMilliseconds = overlapMilliseconds
    }

    /// Every pull a complete scan.
    public static let complete = PollingPolicy(forceComplete: true)
    /// Incremental pulls, with a complete scan hourly (and whenever a kind was never scanned completely).
    public static let incremental = PollingPolicy(forceComplete: false)

    /// What to do for one store and kind.
    public enum Plan: Sendable, Hashable {
        /// Read every record; deletions are detected afterwards.
        case complete
        /// Read the records updated since this store time (milliseconds).
        case since(Int64)
        /// Nothing to read this pass (WooCommerce customers between complete scans).
        case skip
    }

    /// The plan for a store and kind, given its cursor, its clock offset and our clock's `now`.
    /// `readsIncrementally` says whether the store can list this kind by time at all
    /// (``StorePlatform/readsIncrementally(_:)``): one that cannot is read only by complete scans.
    ///
    /// A kind whose complete scan found nothing (a new shop without customers) has no newest
    /// `updated_at`; it is pulled from the start of that scan, not scanned completely again every
    /// pass (on Shopify's GraphQL API each complete scan is a bulk export).
    public func plan(_ cursor: PollCursor, readsIncrementally: Bool, clockOffsetMilliseconds: Int64, now: Int64) -> Plan {
        guard !forceComplete, let last = cursor.lastCompleteScanMilliseconds,
              now - last < completeScanIntervalMilliseconds else { return .complete }
        if !readsIncrementally { return .skip }
        return .since((cursor.updatedAtMilliseconds ?? last) - overlapMilliseconds - abs(clockOffsetMilliseconds))
    }
}

extension PollingPolicy.Plan {
    /// The store time an incremental pull starts from; `nil` for a complete scan.
    var since: Int64? {
        if case .since(let t) = self { return t }
        return nil
    }
}

extension SyncConfiguration.Daemon {
    /// The polling policy of `run` and `sync --once`: incremental pulls, a complete scan every
    /// `complete_scan_interval_seconds` (0: every pass), or always complete when `full`.
    public func pollingPolicy(full: Bool = false) -> PollingPolicy {
        PollingPolicy(forceComplete: full || completeScanIntervalSeconds == 0,
                      completeScanIntervalMilliseconds: Int64(completeScanIntervalSeconds) * 1000,
                      overlapMilliseconds: Int64(overlapSeconds) * 1000)
    }
}
