import SyncCore
import SyncStore

/// One store record on its way in, with the raw payload kept for held records.
public struct IncomingRecord<Record: Sendable & Hashable>: Sendable, Hashable {
    public var record: Record
    private var source: PayloadSource

    private enum PayloadSource: Sendable, Hashable {
        case text(String)
        case json(JSONValue)
    }

    /// The record exactly as the store sent it (JSON text), or a canonical rendering if unavailable.
    public var payload: String {
        switch source {
        case .text(let text): text
        case .json(let json): json.jsonText
        }
    }

    public init(_ record: Record, payload: String) {
        self.record = record
        source = .text(payload)
    }

    /// A record with the store's JSON object it was read from. The JSON text is rendered only if it
    /// is needed (the record is held): an import reads thousands of records and holds few.
    public init(_ record: Record, json: JSONValue) {
        self.record = record
        source = .json(json)
    }
}

/// What ingesting one store record did.
public struct IngestOutcome: Sendable, Hashable {
    public enum Status: Sendable, Hashable {
        /// A new entity was created from the record.
        case created
        /// The record was linked to an entity that already existed (same e-mail, SKU or marker).
        case linked
        /// Fields of a linked entity were merged.
        case updated
        /// Nothing new: the record equals its shadow (an echo of our own push, or a duplicate delivery).
        case unchanged
        /// Older than what was already seen from this store (a late or reordered delivery): ignored.
        case stale
        /// Refused with a reason; kept in the held records.
        case held(HoldReason)
    }

    public var remoteID: String
    public var entity: EntityID?
    public var status: Status
    /// Fields whose merged value changed (what must be projected to the other sides).
    public var changes: [FieldChange]
    /// The record's `updated_at` when it lay beyond the store's present (``StoreIngest/futureTolerance``)
    /// and was kept as that present instead; nil for an ordinary time.
    public var clampedUpdatedAt: Int64? = nil
}
