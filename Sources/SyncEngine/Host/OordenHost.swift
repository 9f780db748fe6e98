import SyncCore

/// What Oorden implements to embed the engine.
///
/// Records cross this boundary as canonical fields (``FieldValues``) — the same ``FieldKey``s and
/// ``Value`` types the store records use (`.email`, `.firstName`, … for contacts; `.sku`, `.name`,
/// `.price`, `.taxable`, `.active` for products) — so the engine never needs to know Oorden's schema. `OordenLedgerHost` (module OordenLedgerAdapter) is the
/// reference implementation over the reference ledger; a host that is not Swift talks to the daemon.
public protocol OordenHost: Sendable {
    /// The company's main currency (ISO 4217), or nil if the company is not set up.
    func companyCurrency() throws -> String?

    /// Contact and product changes after `cursor`, oldest first, at most `limit`.
    func changes(after cursor: Int64, limit: Int) throws -> [HostChange]

    /// The current state of a record, or nil if it does not exist.
    func record(_ kind: RecordKind, id: String) throws -> HostRecord?

    /// The active record holding a natural key (normalized e-mail, or SKU), if any.
    func find(_ kind: RecordKind, naturalKey: String) throws -> HostRecord?

    /// Creates a record; `origin` names the replica the write is made for, so the host can mark it
    /// as the engine's own (the engine tells its echoes apart by shadows either way).
    ///
    /// Throw ``OordenRefusal`` when Oorden's rules refuse the record (the engine holds it with the
    /// message); any other error fails the sync pass and holds nothing.
    func create(_ kind: RecordKind, fields: FieldValues, origin: ReplicaID) throws -> HostRecord

    /// Changes some fields of a record and returns it as stored; refusals as for
    /// ``create(_:fields:origin:)``.
    func update(_ kind: RecordKind, id: String, fields: FieldValues, origin: ReplicaID) throws -> HostRecord

    /// Runs `body` — many calls on the host it is handed — as one unit of work, for speed: the
    /// engine projects and imports in batches through it. Every call inside keeps its own semantics
    /// (a refused write is refused alone and changes nothing); an error `body` throws may undo the
    /// whole batch. The host handed to `body` is the one working in the batch: calls inside go to it,
    /// not to `self`. The default hands `body` this host as is; `OordenLedgerHost` hands it a host
    /// over the ledger working in one ledger transaction.
    func batch<T>(_ body: (Self) throws -> T) throws -> T

    /// The host's sales documents — store orders become sales orders, sales, cancellations and
    /// credit notes through it — or nil: the host keeps none, and store orders are not synced.
    ///
    /// Required, with no default: a host says what it provides (usually `self`), so a feature is
    /// never switched off because a conformance was missed.
    var sales: (any OordenSalesHost)? { get }

    /// The host's stock on hand and movements, or nil: stock is then synced between the stores only.
    /// Required, like ``sales``.
    var stock: (any OordenStockHost)? { get }

    /// True when ``batch(_:)`` is one transaction that an error undoes whole. Only then does the
    /// engine share one engine transaction across a batch's entities (an error undoes both sides);
    /// with any other host every entity's engine writes commit right after its host calls, as if alone.
    var batchesAtomically: Bool { get }
}

extension OordenHost {
    public func batch<T>(_ body: (Self) throws -> T) throws -> T {
        try body(self)
    }

    public var batchesAtomically: Bool { false }
}

/// One entry of the host's change feed.
public struct HostChange: Sendable, Hashable {
    /// What changed, as far as the engine follows it.
    public enum Subject: Sendable, Hashable {
        /// A contact's fields.
        case contact(id: String)
        /// A product's fields.
        case product(id: String)
        /// A stock movement of a product (its counter, not its fields).
        case stockMovement(productID: String)
        /// A sales order (its note, shipping address, cancellation or fulfilment may reach the store).
        case salesOrder(id: String)
        /// Something the engine does not follow (a tax, a document, a movement that no longer
        /// exists): reading it only moves the cursor past it.
        case unfollowed
    }

    public var cursor: Int64
    public var subject: Subject
    /// Milliseconds since the epoch, from the host's clock: the physical reading the engine ticks
    /// Oorden's hybrid clock with for this entry (it may step back; the stamps do not).
    public var time: Int64
    /// True when the engine itself made the change.
    public var bySync: Bool

    public init(cursor: Int64, subject: Subject, time: Int64, bySync: Bool) {
        self.cursor = cursor
        self.subject = subject
        self.time = time
        self.bySync = bySync
    }
}

/// A host record as canonical fields.
public struct HostRecord: Sendable, Hashable {
    public var kind: RecordKind
    public var id: String
    public var fields: FieldValues
    /// Milliseconds since the epoch of the record's last change.
    public var updatedAt: Int64

    public init(kind: RecordKind, id: String, fields: FieldValues, updatedAt: Int64) {
        self.kind = kind
        self.id = id
        self.fields = fields
        self.updatedAt = updatedAt
    }
}

/// The canonical fields each side carries.
public enum CanonicalFields {
    public static let contact: [FieldKey] = [.email, .firstName, .lastName, .phone, .company, .note, .address]
    /// What the Oorden ledger keeps of a contact: the store fields plus `archived` (stores keep their
    /// customers when Oorden archives one, since their orders refer to them).
    public static let hostContact: [FieldKey] = contact + [.archived]
    public static let product: [FieldKey] = [.sku, .name, .price, .compareAtPrice, .taxable, .active, .barcode]
    /// What the Oorden ledger keeps of a product.
    public static let hostProduct: [FieldKey] = [.sku, .name, .price, .taxable, .active]

    public static func keys(_ kind: RecordKind, side: SideKind) -> [FieldKey] {
        switch (kind, side) {
        case (.contact, .oorden): hostContact
        case (.contact, .store(let s)): ContactRecord.fieldKeys(for: s)
        case (.product, .oorden): hostProduct
        case (.product, .store): product
        }
    }
}

/// A side of the sync: Oorden, or a store of some kind.
public enum SideKind: Sendable, Hashable {
    case oorden
    case store(StoreKind)
}
