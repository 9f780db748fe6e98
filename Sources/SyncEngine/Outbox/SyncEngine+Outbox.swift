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
        try store.read { r in
            try Self.outboxRow(r.db, link: intent.link, entity: intent.entity, operation: intent.outboxOperation)
        }
    }

    /// Every outbox entry (writes under way or backing off), oldest first.
    public func outbox() throws -> [OutboxEntry] {
        try store.read { r in
            try Row.fetchAll(r.db, sql: "SELECT \(Self.outboxColumns) FROM push_outbox ORDER BY first_attempt_ms, link").compactMap(Self.outboxEntry)
        }
    }

    /// Persists that `intent` is about to be sent (before the request leaves) and returns the entry as
    /// it was before: non-nil and ``OutboxEntry/inDoubt`` means an earlier attempt may have succeeded.
    @discardableResult
    public func beginPush(_ intent: PushIntent) throws -> OutboxEntry? {
        let now = clock.nowMilliseconds()
        return try store.write { tx in
            let previous = try Self.outboxRow(tx.db, link: intent.link, entity: intent.entity, operation: intent.outboxOperation)
            try tx.db.execute(sql: """
                INSERT INTO push_outbox (link, entity, operation, kind, intent_key, attempts, next_attempt_ms, in_flight_ms, first_attempt_ms, last_error)
                VALUES (?, ?, ?, ?, ?, 0, 0, ?, ?, NULL)
                ON CONFLICT (link, entity, operation) DO UPDATE SET intent_key = excluded.intent_key, in_flight_ms = excluded.in_flight_ms
                """, arguments: [intent.link, intent.entity.blob, intent.outboxOperation.rawValue, intent.kind.rawValue, intent.key, now, now])
            return previous
        }
    }

    /// The write reached the store (or was refused for good and held): it leaves the outbox.
    public func endPush(_ intent: PushIntent) throws {
        try store.write { tx in
            try tx.db.execute(sql: "DELETE FROM push_outbox WHERE link = ? AND entity = ? AND operation = ?",
                              arguments: [intent.link, intent.entity.blob, intent.outboxOperation.rawValue])
        }
    }

    /// The write failed transiently (429, 5xx, timeout, no connection): it stays in the outbox, not in
    /// flight, with one more attempt counted and not to be tried before `now + delay`.
    /// Returns the entry as stored.
    @discardableResult
    public func deferPush(_ intent: PushIntent, message: String, delayMilliseconds: Int64) throws -> OutboxEntry? {
        let now = clock.nowMilliseconds()
        return try store.write { tx in
            try tx.db.execute(sql: """
                INSERT INTO push_outbox (link, entity, operation, kind, intent_key, attempts, next_attempt_ms, in_flight_ms, first_attempt_ms, last_error)
                VALUES (?, ?, ?, ?, ?, 1, ?, NULL, ?, ?)
                ON CONFLICT (link, entity, operation) DO UPDATE SET
                    intent_key = excluded.intent_key, attempts = push_outbox.attempts + 1, next_attempt_ms = excluded.next_attempt_ms,
                    in_flight_ms = NULL, last_error = excluded.last_error
                """, arguments: [intent.link, intent.entity.blob, intent.outboxOperation.rawValue, intent.kind.rawValue, intent.key,
                                 now + max(0, delayMilliseconds), now, message])
            return try Self.outboxRow(tx.db, link: intent.link, entity: intent.entity, operation: intent.outboxOperation)
        }
    }

    static let outboxColumns = "link, kind, entity, operation, intent_key, attempts, next_attempt_ms, in_flight_ms, first_attempt_ms, last_error"

    static func outboxRow(_ db: Database, link: String, entity: EntityID, operation: OutboxEntry.Operation) throws -> OutboxEntry? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(outboxColumns) FROM push_outbox WHERE link = ? AND entity = ? AND operation = ?"),
                         arguments: [link, entity.blob, operation.rawValue]).flatMap(outboxEntry)
    }

    static func outboxEntry(_ row: Row) -> OutboxEntry? {
        guard let kind = EntityKind(rawValue: row[1]), let entity = EntityID(bytes: row[2] as Data),
              let operation = OutboxEntry.Operation(rawValue: row[3]) else { return nil }
        return OutboxEntry(link: row[0], kind: kind, entity: entity, operation: operation, key: row[4], attempts: row[5],
                           nextAttemptAt: row[6], inFlightSince: row[7], firstAttemptAt: row[8], lastError: row[9])
    }
}
