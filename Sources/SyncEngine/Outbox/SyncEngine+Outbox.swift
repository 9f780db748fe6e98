import Foundation
import GRDB
import SyncCore
import SyncStore

/// One store write in the durable outbox (`push_outbox`, engine-v6-outbox): the write the projection
/// asks for, persisted before it is sent, with its retry state.
///
/// Pushes are recomputed from the engine's state on every pass, so the outbox does not hold request
/// bodies; it holds what must survive a crash: that a write was under way (``inFlightSince``), how
/// often it failed, and when it may be tried again. A create found in flight or failed before is
/// *in doubt* — its response may have been lost — so the driver looks the record up in the store
/// (by e-mail, SKU or recent changes) before creating it again.
public struct OutboxEntry: Sendable, Hashable {
    /// What kind of write: the record itself (create or update) or a stock movement.
    public enum Operation: String, Sendable, Hashable {
        case record
        case stock
    }

    public var link: String
    public var kind: EntityKind
    public var entity: EntityID
    public var operation: Operation
    /// The intent's idempotency key (``PushIntent/key``) of the latest attempt.
    public var key: String
    /// Failed attempts so far (transient failures; a permanent one holds the record instead).
    public var attempts: Int
    /// When (our clock) the write may be tried again; 0 = at once.
    public var nextAttemptAt: Int64
    /// When the attempt under way was started; `nil` when none is (it finished or failed).
    public var inFlightSince: Int64?
    /// When the first attempt was started.
    public var firstAttemptAt: Int64
    /// The last failure's message.
    public var lastError: String?

    /// Whether an earlier attempt may have reached the store without us learning the result.
    public var inDoubt: Bool { inFlightSince != nil || attempts > 0 }
}

extension PushIntent {
    /// The outbox operation this intent belongs to.
    public var outboxOperation: OutboxEntry.Operation {
        if case .adjustStock = action { return .stock }
        return .record
    }
}

extension SyncEngine {
    /// The outbox entry of an intent's entity and operation in its store, if any.
    public func outboxEntry(for intent: PushIntent) throws -> OutboxEntry? {
        try store.read { r in try PushOutboxRow.find(r.db, of: intent)?.entry }
    }

    /// Every outbox entry (writes under way or backing off), oldest first.
    public func outbox() throws -> [OutboxEntry] {
        try store.read { r in
            try PushOutboxRow.order(PushOutboxRow.Columns.firstAttemptAt, PushOutboxRow.Columns.link).fetchAll(r.db).compactMap(\.entry)
        }
    }

    /// Persists that `intent` is about to be sent (before the request leaves) and returns the entry as
    /// it was before: non-nil and ``OutboxEntry/inDoubt`` means an earlier attempt may have succeeded.
    @discardableResult
    public func beginPush(_ intent: PushIntent) throws -> OutboxEntry? {
        let now = clock.nowMilliseconds()
        return try store.write { tx in
            guard var row = try PushOutboxRow.find(tx.db, of: intent) else {
                var first = PushOutboxRow(firstAttemptAt: now, of: intent)
                first.inFlightSince = now
                try first.insert(tx.db)
                return nil
            }
            let previous = row.entry
            // The attempts, backoff and last error of earlier attempts stay: they decide whether this one is in doubt.
            row.intentKey = intent.key
            row.inFlightSince = now
            try row.update(tx.db, columns: [PushOutboxRow.Columns.intentKey, PushOutboxRow.Columns.inFlightSince])
            return previous
        }
    }

    /// The write reached the store (or was refused for good and held): it leaves the outbox.
    public func endPush(_ intent: PushIntent) throws {
        try store.write { tx in
            _ = try PushOutboxRow.deleteOne(tx.db, key: PushOutboxRow.key(of: intent))
        }
    }

    /// The write failed transiently (429, 5xx, timeout, no connection): it stays in the outbox, not in
    /// flight, with one more attempt counted and not to be tried before `now + delay`.
    /// Returns the entry as stored.
    @discardableResult
    public func deferPush(_ intent: PushIntent, message: String, delayMilliseconds: Int64) throws -> OutboxEntry? {
        let now = clock.nowMilliseconds()
        return try store.write { tx in
            var row = try PushOutboxRow.find(tx.db, of: intent) ?? PushOutboxRow(firstAttemptAt: now, of: intent)
            row.intentKey = intent.key
            row.attempts += 1
            row.nextAttemptAt = now + max(0, delayMilliseconds)
            row.inFlightSince = nil
            row.lastError = message
            try row.save(tx.db)
            return row.entry
        }
    }
}
