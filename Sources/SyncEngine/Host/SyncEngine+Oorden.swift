import Foundation
import GRDB
import SyncCore
import SyncStore

extension SyncEngine {
    /// Oorden's replica id, minted the first time the engine meets Oorden.
    public func oordenReplica() throws -> ReplicaID {
        try oordenSide().replica
    }

    func oordenSide() throws -> (replica: ReplicaID, cursor: Int64) {
        if let row = try store.read({ r in try Row.fetchOne(r.db, sql: "SELECT replica, cursor FROM oorden_side WHERE singleton = 1") }),
           let replica = ReplicaID(bytes: row[0] as Data) {
            return (replica, row[1])
        }
        let replica = random.withLock { ReplicaID.random(using: &$0) }
        try store.write { tx in
            try tx.db.execute(sql: "INSERT INTO oorden_side (singleton, replica, cursor) VALUES (1, ?, 0) ON CONFLICT (singleton) DO NOTHING",
                              arguments: [replica.blob])
            try tx.label(replica, SideLink.oordenName)
        }
        return try oordenSide()
    }

    /// Reads Oorden's contact and product changes since the stored cursor and merges them, stamped
    /// with Oorden's millisecond times. Returns what each record did; call until it returns empty.
    ///
    /// The cursor advances in the same transaction as the merges, so a crash re-reads, never skips.
    @discardableResult
    public func pullOorden(from host: any OordenHost, limit: Int = 500) throws -> [IngestOutcome] {
        let (replica, cursor) = try oordenSide()
        let changes = try host.changes(after: cursor, limit: limit)
        guard let last = changes.last?.cursor else { return [] }
        var seen: Set<String> = []
        var records: [HostRecord] = []
        for c in changes where c.kind != .order && seen.insert("\(c.kind.rawValue):\(c.id)").inserted {
            if let r = try host.record(c.kind, id: c.id) { records.append(r) }
        }
        let now = clock.nowMilliseconds()
        return try store.write { tx in
            let ingest = StoreIngest(link: SideLink(oordenReplica: replica), now: now)
            let out = try records.map { try ingestHostRecord(&tx, ingest: ingest, record: $0) }
            try tx.db.execute(sql: "UPDATE oorden_side SET cursor = ? WHERE singleton = 1", arguments: [last])
            return out
        }
    }

    func ingestHostRecord(_ tx: inout CRDTTransaction, ingest: StoreIngest, record: HostRecord) throws -> IngestOutcome {
        let names = CanonicalFields.names(record.kind, side: .oorden)
        var fields: [String: Value] = [:]
        for n in names { fields[n] = record.fields[n] ?? .null }
        let shape: StoreIngest.Shape = record.kind == .contact ? .contact : .product
        let key = Self.naturalKey(record.kind, fields)
        let hold = record.kind == .contact
            ? ContactRules.holdReason(fields)
            : ProductRules.holdReason(fields, name: fields["name"]?.stringValue ?? record.id)
        return try ingest.ingest(&tx, shape: shape, remoteID: record.id, fields: fields, updatedAt: record.updatedAt, marker: nil,
                                 naturalKey: key, holdReason: hold, payload: JSONValue.object(fields.mapValues { .string($0.encoded) }).jsonText,
                                 newEntity: { random.withLock { EntityID.random(using: &$0) } })
    }

    static func naturalKey(_ kind: EntityKind, _ fields: [String: Value]) -> String? {
        switch kind {
        case .contact: ContactRecord.normalizedEmail(fields["email"]?.stringValue)
        case .product: fields["sku"]?.stringValue?.trimmingCharacters(in: .whitespaces)
        case .order: nil
        }
    }
}
