import Foundation
import GRDB
import SyncStore
import SyncCore

/// A record the engine could not sync, kept with the reason until its cause is fixed.
///
/// Nothing is dropped silently: a held record keeps the store's raw payload, is listed by the CLI,
/// and is released automatically when a valid version arrives.
public struct HeldRecord: Sendable, Hashable {
    public var id: Int64
    public var link: String
    public var kind: EntityKind
    public var remoteID: String
    public var reason: HoldReason
    /// The record as the store sent it (canonical JSON).
    public var payload: String
    public var firstHeldAt: Int64
    public var lastHeldAt: Int64
}

/// Why a record is held: a stable code for scripts and a message that says what to do.
public struct HoldReason: Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        case missingFirstName = "missing_first_name"
        case missingLastName = "missing_last_name"
        case invalidEmail = "invalid_email"
        case missingSKU = "missing_sku"
        case duplicateNaturalKey = "duplicate_natural_key"
        /// A side refused our write (HTTP 422/400, or an Oorden validation error): the message is its own.
        case pushRejected = "push_rejected"
        /// The store sent a record we could not read (wrong types, missing id).
        case malformedRecord = "malformed_record"
        /// An order in a currency other than the company's.
        case currencyMismatch = "currency_mismatch"
        /// An order taxed at a rate Oorden has no tax for.
        case missingTax = "missing_tax"
        /// An order line with several tax rates at once.
        case unsupportedTax = "unsupported_tax"
        /// An order line whose SKU Oorden lacks, when unknown SKUs are held.
        case unknownSKU = "unknown_sku"
        /// An order whose totals differ from Oorden's by more than rounding.
        case totalMismatch = "total_mismatch"
        /// The company has no main currency yet.
        case companyNotSetUp = "company_not_set_up"
    }

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// Holding and releasing records, in the transaction given (``HeldRecordRow``).
enum HeldRecords {
    /// Holds a record; one held already keeps its id and first time and takes the new reason and payload.
    static func hold(_ db: Database, link: String, kind: EntityKind, remoteID: String, reason: HoldReason, payload: String, now: Int64) throws {
        guard var held = try HeldRecordRow.find(db, link: link, kind: kind, remoteID: remoteID) else {
            try HeldRecordRow(link: link, kind: kind, remoteID: remoteID, reason: reason, payload: payload, now: now).insert(db)
            return
        }
        held.reasonCode = reason.code.rawValue
        held.reason = reason.message
        held.payload = payload
        held.lastHeldAt = now
        try held.update(db, columns: [HeldRecordRow.Columns.reasonCode, HeldRecordRow.Columns.reason, HeldRecordRow.Columns.payload,
                                      HeldRecordRow.Columns.lastHeldAt])
    }

    static func release(_ db: Database, link: String, kind: EntityKind, remoteID: String) throws {
        try HeldRecordRow.release(db, link: link, kind: kind, remoteID: remoteID)
    }

    static func find(_ db: Database, link: String, kind: EntityKind, remoteID: String) throws -> HeldRecordRow? {
        try HeldRecordRow.find(db, link: link, kind: kind, remoteID: remoteID)
    }

    static func all(_ db: Database) throws -> [HeldRecord] {
        try HeldRecordRow.order(HeldRecordRow.Columns.id).fetchAll(db).compactMap(\.heldRecord)
    }
}

extension SyncEngine {
    /// Releases a held record so the next pass tries it again (its entity, if linked, is re-projected).
    /// Returns false when no held record has that id.
    @discardableResult
    public func retryHeld(id: Int64) throws -> Bool {
        try store.write { tx in
            guard let held = try HeldRecordRow.fetchOne(tx.db, key: id) else { return false }
            try held.delete(tx.db)
            let entity: EntityID? = held.remoteID.hasPrefix("new:")
                ? EntityID(hex: String(held.remoteID.dropFirst(4)))
                : try EntityKind(rawValue: held.kind).flatMap { try RemoteIDRow.entity(tx.db, link: held.link, kind: $0, remoteID: held.remoteID) }
            if let entity {
                try markDirty(tx.db, entity)
            }
            return true
        }
    }
}
