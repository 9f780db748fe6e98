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

enum HeldRecords {
    static func hold(_ db: Database, link: String, kind: EntityKind, remoteID: String, reason: HoldReason, payload: String, now: Int64) throws {
        try db.cachedStatement(sql: """
            INSERT INTO held_records (link, kind, remote_id, reason_code, reason, payload, first_held_ms, last_held_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (link, kind, remote_id) DO UPDATE SET
                reason_code = excluded.reason_code, reason = excluded.reason, payload = excluded.payload, last_held_ms = excluded.last_held_ms
            """).execute(arguments: [link, kind.rawValue, remoteID, reason.code.rawValue, reason.message, payload, now, now])
    }

    static func release(_ db: Database, link: String, kind: EntityKind, remoteID: String) throws {
        try db.cachedStatement(sql: "DELETE FROM held_records WHERE link = ? AND kind = ? AND remote_id = ?").execute(arguments: [link, kind.rawValue, remoteID])
    }

    static func find(_ db: Database, link: String, kind: EntityKind, remoteID: String) throws -> (code: String, payload: String)? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT reason_code, payload FROM held_records WHERE link = ? AND kind = ? AND remote_id = ?"),
                         arguments: [link, kind.rawValue, remoteID]).map { ($0[0], $0[1]) }
    }

    static func all(_ db: Database) throws -> [HeldRecord] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT id, link, kind, remote_id, reason_code, reason, payload, first_held_ms, last_held_ms FROM held_records ORDER BY id")).compactMap { row in
            guard let kind = EntityKind(rawValue: row[2]), let code = HoldReason.Code(rawValue: row[4]) else { return nil }
            return HeldRecord(id: row[0], link: row[1], kind: kind, remoteID: row[3], reason: HoldReason(code: code, message: row[5]),
                              payload: row[6], firstHeldAt: row[7], lastHeldAt: row[8])
        }
    }
}

extension SyncEngine {
    /// Releases a held record so the next pass tries it again (its entity, if linked, is re-projected).
    /// Returns false when no held record has that id.
    @discardableResult
    public func retryHeld(id: Int64) throws -> Bool {
        try store.write { tx in
            guard let row = try Row.fetchOne(tx.db.cachedStatement(sql: "SELECT link, kind, remote_id FROM held_records WHERE id = ?"), arguments: [id]) else {
                return false
            }
            let link: String = row[0], kind: String = row[1], remoteID: String = row[2]
            try tx.db.cachedStatement(sql: "DELETE FROM held_records WHERE id = ?").execute(arguments: [id])
            let entity: EntityID? = remoteID.hasPrefix("new:")
                ? EntityID(hex: String(remoteID.dropFirst(4)))
                : try Data.fetchOne(tx.db.cachedStatement(sql: "SELECT entity FROM remote_ids WHERE link = ? AND kind = ? AND remote_id = ?"),
                                    arguments: [link, kind, remoteID]).flatMap { EntityID(bytes: $0) }
            if let entity {
                try markDirty(tx.db, entity)
            }
            return true
        }
    }
}
