import Foundation
import SyncCore

/// One webhook delivery kept in the ``WebhookInbox``.
public struct InboxDelivery: Sendable, Hashable {
    /// Where a delivery is in its life.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        /// Stored, not processed yet.
        case pending
        /// Ingested into the engine.
        case processed
        /// Kept but not ingested, with a reason (orders, product deletes, unknown topics).
        case skipped
        /// Could not be processed (the record was held in the engine, or the body is unreadable); the reason says why.
        case failed
    }

    /// The inbox's own sequence number: deliveries are processed in this order.
    public var sequence: Int64
    /// The configured store name.
    public var store: String
    public var kind: StoreKind
    /// The id deliveries are deduplicated by (per store).
    public var deliveryID: String
    public var topic: String
    /// When the daemon received it (milliseconds since the epoch, daemon clock).
    public var receivedAt: Int64
    /// When the store says the event happened, if it said.
    public var triggeredAt: Int64?
    /// The raw body, exactly as received (decompressed).
    public var body: Data
    public var status: Status
    public var reason: String?
    /// When the body was dropped after the retention (``WebhookInbox/pruneBodies(processedBefore:at:)``);
    /// then ``body`` is empty.
    public var bodyPrunedAt: Int64? = nil
}
