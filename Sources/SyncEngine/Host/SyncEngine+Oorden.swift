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
        if let row = try store.read({ try OordenSideRow.find($0.db) }) {
            return (row.replica, row.cursor)
        }
        let replica = random.withLock { ReplicaID.random(using: &$0) }
        try store.write { tx in
            try OordenSideRow.insertOnce(tx.db, replica: replica)
            try tx.label(replica, SideLink.oordenName)
        }
        return try oordenSide()
    }

    /// The Oorden side as ingest and projection see it.
    func oordenLink(_ replica: ReplicaID) -> SideLink {
        SideLink(oordenReplica: replica, ticksClock: ticksOordenClock)
    }

    /// Reads Oorden's contact and product changes since the stored cursor and merges them, stamped
    /// by ticking Oorden's clock with their change times. Returns what each record did; call until it
    /// returns empty.
    ///
    /// The cursor advances in the same transaction as the merges, so a crash re-reads, never skips.
    @discardableResult
    public func pullOorden(from host: any OordenHost, limit: Int = 500) throws -> [IngestOutcome] {
        try pullOordenChanges(from: host, limit: limit).outcomes
    }

    /// One batch of Oorden's change feed: what ingest did, and how many feed entries were read
    /// (zero means the feed is drained; a batch of only order or stock entries reads some but ingests none).
    public func pullOordenChanges(from host: any OordenHost, limit: Int = 500) throws -> (outcomes: [IngestOutcome], changesRead: Int) {
        // One engine transaction around one host batch: the host's reads and the merges share them.
        try batched(host) { engine, host in try engine.pullOordenBatch(from: host, limit: limit) }
    }

    /// Runs `body` in one engine transaction around one host ``OordenHost/batch(_:)`` when the host's
    /// batches are atomic, handing it the engine and the host working in them (an error undoes both
    /// sides' writes); otherwise with this engine and `host` as they are (each engine write commits
    /// on its own).
    func batched<Host: OordenHost, T>(_ host: Host, _ body: (SyncEngine, Host) throws -> T) throws -> T {
        guard host.batchesAtomically else { return try body(self, host) }
        return try store.write { tx in
            let engine = joined(to: tx)
            return try host.batch { host in try body(engine, host) }
        }
    }

    func pullOordenBatch(from host: any OordenHost, limit: Int) throws -> (outcomes: [IngestOutcome], changesRead: Int) {
        let (replica, cursor) = try oordenSide()
        let changes = try host.changes(after: cursor, limit: limit)
        guard let last = changes.last?.cursor else { return ([], 0) }
        var seen: Set<String> = []
        var records: [HostRecord] = []
        var stockProducts: [String] = []
        var editedOrders: [String] = []
        for c in changes {
            switch c.subject {
            case .salesOrder(let id):
                if !c.bySync, !editedOrders.contains(id) { editedOrders.append(id) }
            case .stockMovement(let productID):
                if !c.bySync, !stockProducts.contains(productID) { stockProducts.append(productID) }
            case .contact(let id):
                if seen.insert(Self.feedKey(.contact, id)).inserted, let r = try host.record(.contact, id: id) { records.append(r) }
            case .product(let id):
                if seen.insert(Self.feedKey(.product, id)).inserted, let r = try host.record(.product, id: id) { records.append(r) }
            case .unfollowed:
                continue
            }
        }
        let stockHost = host.stock
        let now = clock.nowMilliseconds()
        let outcomes = try store.write { tx in
            let ingest = StoreIngest(link: oordenLink(replica), now: now)
            let readings = try Self.tickFeed(&tx, changes, side: ingest.link, now: now)
            let out = try records.map { try ingestHostRecord(&tx, ingest: ingest, record: $0, reading: readings[Self.feedKey($0.kind, $0.id)]) }
            if let stockHost {
                // Oorden's counter cell follows its users' movements; a product seen for the first time
                // brings the stock it already had.
                let newProducts = zip(records, out).filter { $0.0.kind == .product && ($0.1.status == .created || $0.1.status == .linked) }.map(\.0.id)
                for productID in stockProducts + newProducts {
                    try raiseOordenStock(&tx, productID: productID, host: stockHost, replica: replica)
                }
            }
            try OordenSideRow.advance(tx.db, to: last)
            return out
        }
        if let sales = host.sales {
            for id in editedOrders { try noteOrderEdit(salesOrderID: id, host: sales) }
        }
        return (outcomes, changes.count)
    }

    /// Ticks Oorden's clock once per contact or product entry of the feed, in feed order, with the
    /// entry's ledger time; returns the reading of each record's last entry (the record is read once,
    /// as it is now). So a ledger clock that stepped back between two edits of a record still stamps
    /// the later edit later. The readings persist with the batch's transaction.
    static func tickFeed(_ tx: inout CRDTTransaction, _ changes: [HostChange], side: SideLink, now: Int64) throws -> [String: Stamp] {
        guard side.ticksClock else { return [:] }
        var readings: [String: Stamp] = [:]
        for c in changes {
            guard let key = feedKey(c.subject) else { continue }
            readings[key] = try tx.tick(replica: side.replica, physical: min(c.time, now))
        }
        return readings
    }

    static func feedKey(_ kind: RecordKind, _ id: String) -> String { "\(kind.rawValue):\(id)" }

    /// The record a feed entry changed the fields of, as ``feedKey(_:_:)``; nil for other entries.
    static func feedKey(_ subject: HostChange.Subject) -> String? {
        switch subject {
        case .contact(let id): feedKey(.contact, id)
        case .product(let id): feedKey(.product, id)
        case .stockMovement, .salesOrder, .unfollowed: nil
        }
    }

    /// Merges one Oorden record; `reading` is the clock reading the feed took for it (nil: ingest
    /// ticks Oorden's clock itself if the record changes anything).
    func ingestHostRecord(_ tx: inout CRDTTransaction, ingest: StoreIngest, record: HostRecord, reading: Stamp? = nil) throws -> IngestOutcome {
        var fields = FieldValues()
        for key in CanonicalFields.keys(record.kind, side: .oorden) { fields[key] = record.fields[key] ?? .null }
        let naturalKey = Self.naturalKey(record.kind, fields)
        let hold = record.kind == .contact
            ? ContactRules.holdReason(fields)
            : ProductRules.holdReason(fields, name: fields[.name]?.stringValue ?? record.id)
        return try ingest.ingest(&tx, shape: record.kind, remoteID: record.id, fields: fields, updatedAt: record.updatedAt, marker: nil,
                                 naturalKey: naturalKey, holdReason: hold, payload: fields.encodedJSON.jsonText,
                                 clockReading: reading, newEntity: { random.withLock { EntityID.random(using: &$0) } })
    }

    static func naturalKey(_ kind: RecordKind, _ fields: FieldValues) -> String? {
        switch kind {
        case .contact: ContactRecord.normalizedEmail(fields[.email]?.stringValue)
        case .product: fields[.sku]?.stringValue?.trimmingCharacters(in: .whitespaces)
        }
    }
}
