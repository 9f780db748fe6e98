import Foundation
import GRDB
import Logging
import Synchronization
import SyncCore
import SyncStore

/// The sync engine: the CRDT state of one Oorden company and its connected stores.
///
/// The engine is synchronous and deterministic. It performs no network I/O: callers (the daemon's
/// driver, the demo, the simulator) fetch store pages through the connectors and hand the parsed
/// records in; time comes from an injected ``WallClock`` and new ids from a seeded generator.
///
/// ```swift
/// let engine = try SyncEngine.open(path: "oorden-sync.sqlite", clock: SystemWallClock(), seed: 42, logger: logger)
/// let shop = try engine.connect(link: "tienda", kind: .shopify)
/// let outcomes = try engine.ingest(contacts: records, from: shop.name)
/// ```
public final class SyncEngine: Sendable {
    public let store: CRDTStore
    let clock: any WallClock
    let random: SharedMutex<SeededRandom>
    let logger: Logger
    /// Whether Oorden's writes tick Oorden's hybrid clock (always, except in the simulator's mutation
    /// test: ``open(path:clock:seed:logger:ticksOordenClock:)``).
    let ticksOordenClock: Bool
    private let futureTimes: SharedMutex<Int>

    init(store: CRDTStore, clock: any WallClock, random: SeededRandom, logger: Logger, ticksOordenClock: Bool = true) {
        self.store = store
        self.clock = clock
        self.random = SharedMutex(random)
        self.logger = logger
        self.futureTimes = SharedMutex(0)
        self.ticksOordenClock = ticksOordenClock
    }

    private init(store: CRDTStore, sharingWith engine: SyncEngine) {
        self.store = store
        clock = engine.clock
        random = engine.random
        logger = engine.logger
        futureTimes = engine.futureTimes
        ticksOordenClock = engine.ticksOordenClock
    }

    /// This engine, working inside the open transaction `tx` of one of its store's writes: every
    /// engine write it makes is a savepoint of `tx` (one that throws is undone alone), every read
    /// sees `tx`. Ids and counts are shared with this engine.
    ///
    /// Use it only inside the closure `tx` was handed to; there, this engine itself cannot be used
    /// (GRDB's queue is not reentrant: it stops with a precondition failure).
    func joined(to tx: CRDTTransaction) -> SyncEngine {
        SyncEngine(store: store.joined(to: tx), sharingWith: self)
    }

    /// Opens (or creates) the engine database at `path` (`nil`: in memory).
    public static func open(path: String?, clock: any WallClock, seed: UInt64, logger: Logger) throws -> SyncEngine {
        try open(path: path, clock: clock, seed: seed, logger: logger, ticksOordenClock: true)
    }

    /// ``open(path:clock:seed:logger:)``; with `ticksOordenClock: false` Oorden's writes are stamped
    /// with the raw ledger time, the rule before Oorden's clock ticked. Only the simulator's mutation
    /// test opens an engine so, to show that its ledger-clock fault is caught.
    @_spi(Simulation)
    public static func open(path: String?, clock: any WallClock, seed: UInt64, logger: Logger, ticksOordenClock: Bool) throws -> SyncEngine {
        var rng = SeededRandom(seed: seed)
        let store = try CRDTStore.open(path: path, newReplica: ReplicaID.random(using: &rng)) { migrator in
            EngineSchema.register(in: &migrator)
        }
        // Fold the database's identity into the generator so two engines opened with one seed
        // still mint different ids; fold in what this database already holds and the opening time
        // too, so reopening it with the same seed does not mint an earlier run's ids again.
        let held = try store.read { r in
            (try Int.fetchOne(r.db.cachedStatement(sql: "SELECT count(*) FROM entities")) ?? 0) + (try StoreLinkRow.fetchCount(r.db))
        }
        var identity = SeededRandom(seed: seed ^ store.localReplica.high ^ store.localReplica.low)
        var seeded = SeededRandom(seed: identity.next() ^ UInt64(bitPattern: clock.nowMilliseconds()) ^ (UInt64(held) &* 0x9E37_79B9_7F4A_7C15))
        _ = seeded.next()
        return SyncEngine(store: store, clock: clock, random: seeded, logger: logger, ticksOordenClock: ticksOordenClock)
    }

    // MARK: Store links

    /// Connects a store: returns its link, minting a replica id the first time.
    @discardableResult
    public func connect(link name: String, kind: StoreKind, createsKinds: Set<EntityKind> = [.contact, .product],
                        archivesOnDelete: Bool = true) throws -> StoreLink {
        guard !name.isEmpty, name != SideLink.oordenName, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw SyncEngineError(code: .invalidConfiguration,
                                  message: "store name \"\(name)\" must be non-empty letters, digits, '-' or '_' (it appears in URLs and ids), and not \"oorden\"")
        }
        if let existing = try link(named: name) {
            guard existing.kind == kind else {
                throw SyncEngineError(code: .invalidConfiguration,
                                      message: "store \"\(name)\" is already connected as \(existing.kind.rawValue), not \(kind.rawValue); pick another name")
            }
            return existing
        }
        let link = StoreLink(name: name, kind: kind, replica: random.withLock { ReplicaID.random(using: &$0) },
                             createsKinds: createsKinds, archivesOnDelete: archivesOnDelete)
        try store.write { tx in
            try StoreLinkRow(link).insert(tx.db)
            try tx.label(link.replica, "\(kind.rawValue):\(name)")
        }
        logger.info("connected store", metadata: ["store": "\(name)", "kind": "\(kind.rawValue)", "replica": "\(link.replica.short)"])
        return link
    }

    public func link(named name: String) throws -> StoreLink? {
        try store.read { r in try StoreLinkRow.fetchOne(r.db, key: name)?.link }
    }

    public func links() throws -> [StoreLink] {
        try store.read { r in try StoreLinkRow.order(StoreLinkRow.Columns.name).fetchAll(r.db).compactMap(\.link) }
    }

    /// How many `Date` headers of the store have fed its clock-offset estimate (0: never read).
    public func clockSamples(link name: String) throws -> Int64 {
        try store.read { r in
            guard let row = try StoreLinkRow.fetchOne(r.db, key: name) else { throw SyncEngineError.unknownLink(name) }
            return row.clockSamples
        }
    }

    /// Feeds one HTTP `Date` header into the store's clock-offset estimate.
    public func observeStoreClock(link name: String, dateHeader: Int64, sentAt: Int64, receivedAt: Int64) throws {
        try store.write { tx in
            guard var row = try StoreLinkRow.fetchOne(tx.db, key: name) else { throw SyncEngineError.unknownLink(name) }
            var estimator = StoreClockEstimator(offsetMilliseconds: row.clockOffsetMilliseconds, samples: row.clockSamples)
            estimator.observe(dateHeader: dateHeader, sentAt: sentAt, receivedAt: receivedAt)
            row.clockOffsetMilliseconds = estimator.offsetMilliseconds
            row.clockSamples = estimator.samples
            try row.update(tx.db, columns: [StoreLinkRow.Columns.clockOffsetMilliseconds, StoreLinkRow.Columns.clockSamples])
        }
    }

    // MARK: Ingest

    /// Merges store customers in one transaction.
    public func ingest(contacts: [IncomingRecord<ContactRecord>], from linkName: String) throws -> [IngestOutcome] {
        guard let link = try link(named: linkName) else { throw SyncEngineError.unknownLink(linkName) }
        let now = clock.nowMilliseconds()
        return try store.write { tx in
            let ingest = StoreIngest(link: SideLink(link), now: now)
            return try contacts.map { incoming in
                let r = incoming.record
                let fields = r.canonicalFields
                return noteFutureTime(link: link, kind: .contact, try ingest.ingest(
                    &tx, shape: .contact, remoteID: r.remoteID, fields: fields, updatedAt: r.updatedAt,
                    marker: r.marker, naturalKey: ContactRecord.normalizedEmail(r.email),
                    holdReason: ContactRules.holdReason(fields), payload: incoming.payload,
                    createdAt: r.createdAt, newEntity: { random.withLock { EntityID.random(using: &$0) } }))
            }
        }
    }

    /// Store records whose `updated_at` lay in the store's future and was kept as its present
    /// (``StoreIngest/presentOrEarlier(_:)``), since this engine was opened: `/metrics` exports it.
    public var futureStoreTimesClamped: Int { futureTimes.withLock { $0 } }

    /// Logs and counts an outcome whose store time was clamped; returns it unchanged.
    func noteFutureTime(link: StoreLink, kind: EntityKind, _ outcome: IngestOutcome) -> IngestOutcome {
        guard let raw = outcome.clampedUpdatedAt else { return outcome }
        futureTimes.withLock { $0 += 1 }
        logger.warning("store record stamped in the future; kept at the store's present so later edits still win", metadata: [
            "store": "\(link.name)", "kind": "\(kind.rawValue)", "id": "\(outcome.remoteID)", "updated_at": "\(ISO8601Time.format(raw, zulu: true))",
        ])
        return outcome
    }

    /// Merges store products (one record per sellable SKU) in one transaction.
    public func ingest(products: [IncomingRecord<ProductRecord>], from linkName: String) throws -> [IngestOutcome] {
        guard let link = try link(named: linkName) else { throw SyncEngineError.unknownLink(linkName) }
        let now = clock.nowMilliseconds()
        return try store.write { tx in
            let ingest = StoreIngest(link: SideLink(link), now: now)
            return try products.map { incoming in
                let r = incoming.record
                let fields = r.canonicalFields
                let remoteID = Self.remoteID(of: r)
                let outcome = noteFutureTime(link: link, kind: .product, try ingest.ingest(
                    &tx, shape: .product, remoteID: remoteID, fields: fields, updatedAt: r.updatedAt,
                    marker: r.marker, naturalKey: r.sku?.trimmingCharacters(in: .whitespaces),
                    holdReason: ProductRules.holdReason(fields, name: r.name), payload: incoming.payload,
                    createdAt: r.createdAt, newEntity: { random.withLock { EntityID.random(using: &$0) } }))
                if r.manageStock, let level = r.stockQuantity, let entity = outcome.entity, outcome.status != .stale {
                    if case .held = outcome.status {} else {
                        try observeStock(&tx, link: link, remoteID: remoteID, entity: entity, level: Int64(level), isNewEntity: outcome.status == .created,
                                         source: StockSource(inventoryItem: r.inventoryItemID, levelAt: r.updatedAt))
                    }
                }
                return outcome
            }
        }
    }

    /// Holds a record the caller could not even parse, with the reason and the raw payload, so it is
    /// listed with the other held records instead of being lost.
    public func hold(link: String, kind: EntityKind, remoteID: String, reason: HoldReason, payload: String) throws {
        let now = clock.nowMilliseconds()
        try store.write { tx in
            try HeldRecords.hold(tx.db, link: link, kind: kind, remoteID: remoteID, reason: reason, payload: payload, now: now)
        }
    }

    /// How many entities still wait to be projected.
    public func dirtyCount() throws -> Int {
        try store.read { r in try Int.fetchOne(r.db.cachedStatement(sql: "SELECT count(*) FROM dirty_entities")) ?? 0 }
    }

    /// The id the engine links a sellable SKU by: `product/variant`, or `product` for a WooCommerce
    /// simple product.
    public static func remoteID(of product: ProductRecord) -> String {
        product.remoteVariantID.map { "\(product.remoteProductID)/\($0)" } ?? product.remoteProductID
    }

    // MARK: Reading

    /// Every held record, oldest first.
    public func heldRecords() throws -> [HeldRecord] {
        try store.read { try HeldRecords.all($0.db) }
    }

    /// The entity linked to a store record.
    public func entity(link: String, kind: EntityKind, remoteID: String) throws -> EntityID? {
        try store.read { r in try RemoteIDRow.entity(r.db, link: link, kind: kind, remoteID: remoteID) }
    }

    /// The entity holding a normalized e-mail (contacts) or SKU (products).
    public func entity(kind: EntityKind, naturalKey: String) throws -> EntityID? {
        let key = kind == .contact ? (ContactRecord.normalizedEmail(naturalKey) ?? naturalKey) : naturalKey
        return try store.read { r in
            try Data.fetchOne(r.db.cachedStatement(sql: "SELECT entity FROM natural_keys WHERE kind = ? AND key = ?"), arguments: [kind.rawValue, key])
                .flatMap { EntityID(bytes: $0) }
        }
    }

    /// An entity's registers and counters.
    public func state(of entity: EntityID) throws -> StoredEntity? {
        try store.read { try $0.entity(entity) }
    }

    /// The entity's links: store name → remote id.
    public func remoteIDs(of entity: EntityID) throws -> [String: String] {
        try store.read { r in try RemoteIDRow.remoteIDs(r.db, of: entity) }
    }

    /// How many entities of a kind exist (deleted ones included).
    public func count(_ kind: EntityKind) throws -> Int {
        try store.read { r in try Int.fetchOne(r.db.cachedStatement(sql: "SELECT count(*) FROM entities WHERE kind = ?"), arguments: [kind.rawValue]) ?? 0 }
    }
}

/// An engine error: a code and a message that says what to do.
public struct SyncEngineError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidConfiguration = "invalid_configuration"
        case unknownLink = "unknown_link"
        /// One remote record would be linked to two entities.
        case conflict
        /// The engine broke one of its own invariants: a bug, reported instead of acted on.
        case invariant
    }

    public let code: Code
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    static func invariant(_ what: String) -> SyncEngineError {
        SyncEngineError(code: .invariant, message: "internal error: \(what); nothing was written. Report it with `oorden-sync inspect` output for the record")
    }

    static func unknownLink(_ name: String) -> SyncEngineError {
        SyncEngineError(code: .unknownLink, message: "no store named \"\(name)\" is connected; connect it first (see docs/configuration.md)")
    }
}

extension SyncEngine {
    /// Runs `body` in one engine transaction, handing it the engine working in that transaction:
    /// the writes `body` makes through it (ingests, holds) are savepoints of the transaction — one
    /// that throws is undone alone — and only the commit is shared. An error `body` throws undoes
    /// them all.
    ///
    /// For callers that apply many small inputs at once, such as the daemon's webhook batches. Inside
    /// `body`, use the engine it is handed (this one cannot write or read there: GRDB's queue is not
    /// reentrant):
    ///
    /// ```swift
    /// let outcomes = try engine.batch { engine in
    ///     try deliveries.map { try engine.ingest(contacts: [$0], from: "tienda") }
    /// }
    /// ```
    public func batch<T>(_ body: (SyncEngine) throws -> T) throws -> T {
        try store.write { tx in try body(joined(to: tx)) }
    }
}
