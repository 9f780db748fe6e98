import Foundation
import OordenLedger
import SyncCore
import SyncEngine

/// ``OordenHost`` over the reference ``OordenLedger``.
///
/// Maps ledger contacts and products to canonical fields and back. The engine's writes carry the
/// ledger origin `sync:<replica hex>`.
public struct OordenLedgerHost: OordenHost {
    public let ledger: OordenLedger

    public init(ledger: OordenLedger) {
        self.ledger = ledger
    }

    /// One ledger transaction for the whole batch (``OordenLedger/batch(_:)``): `body` is handed a
    /// host over the ledger working in it.
    public func batch<T>(_ body: (OordenLedgerHost) throws -> T) throws -> T {
        try ledger.batch { ledger in try body(OordenLedgerHost(ledger: ledger)) }
    }

    public var batchesAtomically: Bool { true }

    /// The ledger keeps sales documents and stock: both are synced.
    public var sales: (any OordenSalesHost)? { self }
    public var stock: (any OordenStockHost)? { self }

    public func companyCurrency() throws -> String? {
        try ledger.company()?.currency
    }

    public func changes(after cursor: Int64, limit: Int) throws -> [HostChange] {
        try ledger.changes(after: cursor, limit: limit).map { c in
            let subject: HostChange.Subject
            switch c.kind {
            case .contact: subject = .contact(id: String(c.entityID))
            case .product: subject = .product(id: String(c.entityID))
            case .inventoryMovement:
                subject = try ledger.movement(id: c.entityID).map { .stockMovement(productID: String($0.productID)) } ?? .unfollowed
            case .salesOrder: subject = .salesOrder(id: String(c.entityID))
            default: subject = .unfollowed
            }
            return HostChange(cursor: c.sequence, subject: subject, time: c.time, bySync: c.origin.isSync)
        }
    }

    public func record(_ kind: RecordKind, id: String) throws -> HostRecord? {
        guard let n = Int64(id) else { return nil }
        switch kind {
        case .contact: return try ledger.contact(id: n).map(Self.record)
        case .product: return try ledger.product(id: n).map(Self.record)
        }
    }

    public func find(_ kind: RecordKind, naturalKey: String) throws -> HostRecord? {
        switch kind {
        case .contact: return try ledger.contact(email: naturalKey).flatMap { $0.archived ? nil : Self.record($0) }
        case .product: return try ledger.product(sku: naturalKey).map(Self.record)
        }
    }

    public func create(_ kind: RecordKind, fields: FieldValues, origin: ReplicaID) throws -> HostRecord {
        try Self.refusals { try createRecord(kind, fields: fields, origin: origin) }
    }

    public func update(_ kind: RecordKind, id: String, fields: FieldValues, origin: ReplicaID) throws -> HostRecord {
        try Self.refusals { try updateRecord(kind, id: id, fields: fields, origin: origin) }
    }

    /// The ledger's rule errors as ``OordenRefusal``; its storage errors (a damaged, full or read-only
    /// file) stay what they are, so they fail the pass instead of holding the record.
    static func refusals<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as LedgerError where error.code != .storage {
            throw OordenRefusal("\(error)")
        }
    }

    private func createRecord(_ kind: RecordKind, fields: FieldValues, origin: ReplicaID) throws -> HostRecord {
        switch kind {
        case .contact:
            var draft = ContactDraft()
            try Self.apply(fields, to: &draft)
            let created = try ledger.createContact(draft, origin: .sync(replica: origin.hex))
            if fields[.archived]?.boolValue == true {
                return Self.record(try ledger.setContactArchived(created.id, true, origin: .sync(replica: origin.hex)))
            }
            return Self.record(created)
        case .product:
            var draft = ProductDraft(sku: "", name: "", price: .zero)
            try Self.apply(fields, to: &draft)
            return Self.record(try ledger.createProduct(draft, origin: .sync(replica: origin.hex)))
        }
    }

    private func updateRecord(_ kind: RecordKind, id: String, fields: FieldValues, origin: ReplicaID) throws -> HostRecord {
        guard let n = Int64(id) else {
            throw SyncEngineError(code: .invalidConfiguration, message: "Oorden \(kind.rawValue) id \"\(id)\" is not a number")
        }
        switch kind {
        case .contact:
            let syncOrigin = LedgerOrigin.sync(replica: origin.hex)
            var contact = try ledger.updateContact(n, origin: syncOrigin) { try Self.apply(fields, to: &$0) }
            if let archived = fields[.archived]?.boolValue, archived != contact.archived {
                contact = try ledger.setContactArchived(n, archived, origin: syncOrigin)
            }
            return Self.record(contact)
        case .product:
            return Self.record(try ledger.updateProduct(n, origin: .sync(replica: origin.hex)) { try Self.apply(fields, to: &$0) })
        }
    }

    // MARK: Mapping

    static func record(_ c: Contact) -> HostRecord {
        func s(_ v: String?) -> Value { v.map { $0.isEmpty ? Value.null : .string($0) } ?? .null }
        return HostRecord(kind: .contact, id: String(c.id), fields: [
            .email: s(c.email), .firstName: s(c.firstName), .lastName: s(c.lastName), .phone: s(c.phone),
            .company: s(c.company), .note: s(c.note), .address: c.address.map(Value.json) ?? .null,
            .archived: .bool(c.archived),
        ], updatedAt: c.updatedAt)
    }

    static func record(_ p: Product) -> HostRecord {
        HostRecord(kind: .product, id: String(p.id), fields: [
            .sku: .string(p.sku), .name: .string(p.name), .price: .decimal(p.price), .taxable: .bool(p.taxable), .active: .bool(p.active),
        ], updatedAt: p.updatedAt)
    }

    static func apply(_ fields: FieldValues, to d: inout ContactDraft) throws {
        for (key, value) in fields {
            switch key {
            case .email: d.email = value.stringValue
            case .firstName: d.firstName = value.stringValue ?? ""
            case .lastName: d.lastName = value.stringValue ?? ""
            case .phone: d.phone = value.stringValue
            case .company: d.company = value.stringValue
            case .note: d.note = value.stringValue
            case .address: d.address = value.jsonValue
            // `archived` is set on its own (``OordenLedger/setContactArchived``); the rest Oorden does not keep.
            case .active, .archived, .barcode, .cancelled, .compareAtPrice, .fulfilled, .name, .price, .shippingAddress, .sku, .taxable:
                continue
            }
        }
    }

    static func apply(_ fields: FieldValues, to d: inout ProductDraft) throws {
        for (key, value) in fields {
            switch key {
            case .sku: d.sku = value.stringValue ?? ""
            case .name: d.name = value.stringValue ?? ""
            case .price: d.price = value.decimalValue ?? .zero
            case .taxable: d.taxable = value.boolValue ?? true
            case .active: d.active = value.boolValue ?? true
            // Fields Oorden does not keep of a product (the stores' compare-at price and barcode).
            case .address, .archived, .barcode, .cancelled, .company, .compareAtPrice, .email, .firstName, .fulfilled, .lastName, .note, .phone, .shippingAddress:
                continue
            }
        }
    }
}
