import Foundation
import GRDB
import SyncCore
import SyncStore

/// One row of `push_outbox`: a store write under way or backing off, per store, entity and operation.
///
/// ``entry`` reads it as an ``OutboxEntry``.
struct PushOutboxRow: FetchableRecord, PersistableRecord, Hashable {
    static let databaseTableName = "push_outbox"

    enum Columns {
        static let link = Column("link")
        static let entity = Column("entity")
        static let operation = Column("operation")
        static let kind = Column("kind")
        static let intentKey = Column("intent_key")
        static let attempts = Column("attempts")
        static let nextAttemptAt = Column("next_attempt_ms")
        static let inFlightSince = Column("in_flight_ms")
        static let firstAttemptAt = Column("first_attempt_ms")
        static let lastError = Column("last_error")
    }

    var link: String
    var entity: Data
    /// ``OutboxEntry/Operation`` as text.
    var operation: String
    var kind: String
    var intentKey: String
    var attempts: Int
    var nextAttemptAt: Int64
    var inFlightSince: Int64?
    var firstAttemptAt: Int64
    var lastError: String?

    /// The first attempt at `intent`, started at `now`: nothing failed yet.
    init(firstAttemptAt now: Int64, of intent: PushIntent) {
        link = intent.link
        entity = intent.entity.blob
        operation = intent.outboxOperation.rawValue
        kind = intent.kind.rawValue
        intentKey = intent.key
        attempts = 0
        nextAttemptAt = 0
        inFlightSince = nil
        firstAttemptAt = now
        lastError = nil
    }

    init(row: Row) throws {
        link = row[Columns.link]
        entity = row[Columns.entity]
        operation = row[Columns.operation]
        kind = row[Columns.kind]
        intentKey = row[Columns.intentKey]
        attempts = row[Columns.attempts]
        nextAttemptAt = row[Columns.nextAttemptAt]
        inFlightSince = row[Columns.inFlightSince]
        firstAttemptAt = row[Columns.firstAttemptAt]
        lastError = row[Columns.lastError]
    }

    func encode(to container: inout PersistenceContainer) throws {
        container[Columns.link] = link
        container[Columns.entity] = entity
        container[Columns.operation] = operation
        container[Columns.kind] = kind
        container[Columns.intentKey] = intentKey
        container[Columns.attempts] = attempts
        container[Columns.nextAttemptAt] = nextAttemptAt
        container[Columns.inFlightSince] = inFlightSince
        container[Columns.firstAttemptAt] = firstAttemptAt
        container[Columns.lastError] = lastError
    }

    /// The entry, or nil when the row's kind, entity or operation is not one this engine reads
    /// (such a row is skipped).
    var entry: OutboxEntry? {
        guard let kind = EntityKind(rawValue: kind), let entity = EntityID(bytes: entity),
              let operation = OutboxEntry.Operation(rawValue: operation) else { return nil }
        return OutboxEntry(link: link, kind: kind, entity: entity, operation: operation, key: intentKey, attempts: attempts,
                           nextAttemptAt: nextAttemptAt, inFlightSince: inFlightSince, firstAttemptAt: firstAttemptAt, lastError: lastError)
    }
}

extension PushOutboxRow {
    /// The primary key of an intent's row: its store, entity and operation.
    static func key(of intent: PushIntent) -> [String: any DatabaseValueConvertible] {
        [Columns.link.name: intent.link, Columns.entity.name: intent.entity.blob, Columns.operation.name: intent.outboxOperation.rawValue]
    }

    /// The row of an intent's store, entity and operation, if any.
    static func find(_ db: Database, of intent: PushIntent) throws -> PushOutboxRow? {
        try fetchOne(db, key: key(of: intent))
    }
}
