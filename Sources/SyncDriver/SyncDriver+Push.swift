import Connectors
import Foundation
import SyncCore
import SyncEngine

extension SyncDriver {
    /// Makes one store write through the durable outbox and reports the outcome to the engine. A
    /// refused write is held by the engine with the store's message; a transient failure stays in the
    /// outbox and is tried again after the driver's ``PushBackoff``. Only errors that say something
    /// about the write (the store's, a record it answered that cannot be read, the engine refusing a
    /// link) are held; anything else — cancellation, the process being stopped, a storage failure — is
    /// thrown, with the write left in flight in the outbox, so the next attempt looks before it writes.
    ///
    /// The write is recorded in flight before the request leaves. A write still backing off is skipped
    /// (the next pass tries it). A create found in flight or failed before may have reached the store
    /// without its response reaching us: it is looked up in the store first (contacts by e-mail and,
    /// where the store can search by SKU, products by SKU on every create; elsewhere among the products
    /// changed since the first attempt, ``StorePlatform/findProduct(sku:changedSince:)``).
    func push(_ intent: PushIntent, to ep: StoreEndpoint, counts: inout SyncPassSummary.StoreCounts) async throws {
        let previous: OutboxEntry?
        do {
            if let entry = try engine.outboxEntry(for: intent), entry.inFlightSince == nil, entry.nextAttemptAt > clock.nowMilliseconds() {
                logger.debug("store write backing off", metadata: ["store": "\(ep.link)", "attempts": "\(entry.attempts)"])
                return
            }
            previous = try engine.beginPush(intent)
        } catch {
            counts.pushFailures += 1
            logger.error("outbox unavailable; write not sent", metadata: ["store": "\(ep.link)", "error": "\(error)"])
            return
        }
        let supersededBefore = counts.superseded
        do {
            if case .adjustStock(let remoteID, let delta) = intent.action {
                try await pushStock(intent, remoteID: remoteID, delta: delta, ep: ep)
            } else {
                switch intent.kind {
                case .contact: try await pushContact(intent, ep: ep, counts: &counts)
                case .product: try await pushProduct(intent, ep: ep, inDoubtSince: previous.flatMap { $0.inDoubt ? $0.firstAttemptAt : nil }, counts: &counts)
                case .order: try await pushOrderEdit(intent, ep: ep)
                }
            }
            if counts.superseded == supersededBefore { counts.pushed += 1 }
            try? engine.endPush(intent)
        } catch let error as StoreAPIError where error.code == .notFound && intent.kind != .order && Self.existingTarget(intent) != nil {
            // Gone from the store (deleted since the engine last saw it): a deletion to apply, as a
            // complete scan would — not a refusal to hold. Another write of the same round (a stock
            // change after a product update found it gone) ends here too.
            if let remoteID = Self.existingTarget(intent) {
                do {
                    try applyDeletionFoundByRead(ep, kind: intent.kind, remoteID: remoteID, counts: &counts)
                } catch {
                    logger.error("could not apply a deletion found by a write", metadata: ["store": "\(ep.link)", "error": "\(error)"])
                }
            }
            try? engine.endPush(intent)
        } catch let error as StoreAPIError {
            counts.pushFailures += 1
            let permanent = error.code == .validation || error.code == .clientError || error.code == .notFound
            logger.warning("store write failed", metadata: ["store": "\(ep.link)", "permanent": "\(permanent)", "error": "\(error.message)"])
            try? engine.failPush(intent, message: error.message, permanent: permanent)
            if permanent {
                try? engine.endPush(intent)
            } else {
                let delay = pushBackoff.delayMilliseconds(failures: (previous?.attempts ?? 0) + 1, key: intent.key)
                _ = try? engine.deferPush(intent, message: error.message, delayMilliseconds: delay)
            }
        } catch {
            guard Self.isAboutTheWrite(error) else { throw error }
            counts.pushFailures += 1
            logger.warning("store write failed", metadata: ["store": "\(ep.link)", "error": "\(error)"])
            try? engine.failPush(intent, message: "\(error)", permanent: true)
            try? engine.endPush(intent)
        }
    }

    /// Whether an error that is not the store's own answer still says the write cannot be made as it
    /// is: the store answered something unreadable, the record holds a value the store's format cannot
    /// carry, or the engine refused what the store answered.
    static func isAboutTheWrite(_ error: any Error) -> Bool {
        error is RecordDecodingError || error is StorePageError || error is JSONParseError || error is ValueDecodingError || error is ExactDecimalError
            || error is SyncEngineError || error is SyncDriverError
    }

    /// The store record an update or stock write targets (nil for a create).
    static func existingTarget(_ intent: PushIntent) -> String? {
        switch intent.action {
        case .create: nil
        case .update(let id), .adjustStock(let id, _): id
        }
    }

    // MARK: Contacts

    func pushContact(_ intent: PushIntent, ep: StoreEndpoint, counts: inout SyncPassSummary.StoreCounts) async throws {
        let platform = platform(ep)
        switch intent.action {
        case .create:
            // Search first: a retry after a crash between the create and its completion links instead
            // of creating the customer twice.
            if let key = intent.naturalKey, let existing = try await platform.findContact(email: key) {
                try engine.completePush(intent, contact: existing, answered: false)
                return
            }
            let record = try ContactRecord(store: platform.kind, remoteID: "").applying(intent.record)
            let created: ContactRecord
            do {
                created = try await platform.createContact(record, marker: intent.entity)
            } catch let error as StoreAPIError where Self.refusedAsExisting(error, kind: .contact) {
                // The e-mail is taken: a create of ours whose answer was lost, or a customer made
                // since the search. Link it; the merge then decides field by field.
                guard let key = intent.naturalKey, let existing = try await platform.findContact(email: key) else { throw error }
                try engine.completePush(intent, contact: existing, answered: false)
                return
            }
            try engine.completePush(intent, contact: created)
        case .update(let remoteID):
            // Read-merge-write (``SyncEngine/mergeBeforeUpdate(_:contact:)``): an edit the merchant made
            // since the engine last saw the customer is merged first instead of being overwritten.
            let current: StoreRead<ContactRecord>
            do {
                current = try await platform.contact(id: remoteID)
            } catch let error as StoreAPIError where error.code == .notFound {
                // Deleted in the store since the engine last saw it: a deletion to apply, not a record to write.
                try applyDeletionFoundByRead(ep, kind: .contact, remoteID: remoteID, counts: &counts)
                return
            }
            guard try engine.mergeBeforeUpdate(intent, contact: IncomingRecord(current.record, payload: current.payload)) else {
                counts.superseded += 1
                return
            }
            var record = try ContactRecord(store: platform.kind, remoteID: remoteID).applying(intent.record)
            // The address just read is the one to edit (Shopify): without its id a store adds another.
            record.remoteAddressID = current.record.remoteAddressID
            try engine.completePush(intent, contact: try await platform.updateContact(record, fields: Set(intent.fields.keys)))
        case .adjustStock:
            return
        }
    }

    // MARK: Products

    func pushProduct(_ intent: PushIntent, ep: StoreEndpoint, inDoubtSince: Int64? = nil, counts: inout SyncPassSummary.StoreCounts) async throws {
        switch intent.action {
        case .create:
            try await createProduct(intent, ep: ep, inDoubtSince: inDoubtSince)
        case .update(let remoteID):
            // Read-merge-write: a variant's own title is not a canonical field, so start from the
            // store's current record; an edit the engine has not seen yet is merged first instead of
            // being overwritten (``SyncEngine/mergeBeforeUpdate(_:product:)``); read the result back.
            let current: StoreRead<ProductRecord>
            do {
                current = try await fetchProductWithPayload(ep, remoteID: remoteID, trashIsGone: true)
            } catch let error as StoreAPIError where error.code == .notFound {
                // Deleted (or, in WooCommerce, trashed) in the store since the engine last saw it: a
                // deletion to apply, as the next complete scan would — writing to a trashed product
                // would keep it linked, and a later reactivation would restore it from the trash.
                try applyDeletionFoundByRead(ep, kind: .product, remoteID: remoteID, counts: &counts)
                return
            }
            guard try engine.mergeBeforeUpdate(intent, product: IncomingRecord(current.record, payload: current.payload)) else {
                counts.superseded += 1
                return
            }
            try await platform(ep).updateProduct(try current.record.applying(intent.fields), fields: Set(intent.fields.keys))
            try engine.completePush(intent, product: try await fetchProduct(ep, remoteID: remoteID))
        case .adjustStock:
            return
        }
    }

    /// Creates a product, unless an earlier attempt did: where the store searches by SKU, on every
    /// create; elsewhere among the products changed since an attempt in doubt (our clock, widened by
    /// 5 minutes and the store's estimated clock offset).
    func createProduct(_ intent: PushIntent, ep: StoreEndpoint, inDoubtSince: Int64?) async throws {
        let platform = platform(ep)
        let offset = try engine.link(named: ep.link)?.clockOffsetMilliseconds ?? 0
        let changedSince = inDoubtSince.map { $0 + offset - 300_000 - abs(offset) }
        if let sku = intent.naturalKey, platform.searchesProductsBySKU || changedSince != nil,
           let existing = try await platform.findProduct(sku: sku, changedSince: changedSince) {
            try engine.completePush(intent, product: existing, answered: false)
            return
        }
        let name = intent.record[.name]?.stringValue ?? intent.naturalKey ?? "Producto"
        var record = try ProductRecord(store: platform.kind, remoteProductID: "", name: name).applying(intent.record)
        if let stock = intent.stock {
            record.manageStock = true
            record.stockQuantity = Int(stock)
        }
        let created: ProductRecord
        do {
            try engine.willSendCreate(intent, level: platform.stockLevelAfterCreate(record))
            created = try await platform.createProduct(record, marker: intent.entity)
        } catch let error as StoreAPIError where Self.refusedAsExisting(error, kind: .product) {
            // The SKU is taken (a create of ours whose answer was lost): link that product.
            guard let sku = intent.naturalKey, let existing = try await platform.findProduct(sku: sku, changedSince: changedSince) else { throw error }
            try engine.completePush(intent, product: existing, answered: false)
            return
        }
        try engine.completePush(intent, product: created)
    }

    /// Whether a store refused a create because the record already exists there: Shopify's 422
    /// `email: has already been taken`, WooCommerce's `registration-error-email-exists` and
    /// `product_invalid_sku` ("Invalid or duplicated SKU."). Such a create links the existing record
    /// instead of being held — after a lost answer it is usually our own.
    static func refusedAsExisting(_ error: StoreAPIError, kind: EntityKind) -> Bool {
        guard error.code == .validation else { return false }
        switch kind {
        case .contact:
            return error.storeErrorCode == "registration-error-email-exists"
                || (error.fieldErrors["email"] ?? []).contains { $0.contains("already been taken") }
        case .product:
            return error.storeErrorCode == "product_invalid_sku"
        case .order:
            return false
        }
    }

    // MARK: Order edits

    /// Writes Oorden users' edits of an imported order to its store: note, shipping address,
    /// cancellation, fulfilment (``StorePlatform/editOrder(id:_:)``).
    func pushOrderEdit(_ intent: PushIntent, ep: StoreEndpoint) async throws {
        guard case .update(let orderID) = intent.action else { return }
        let f = intent.fields
        let edit = OrderEdit(note: f[.note].map { $0.stringValue }, shippingAddress: try f[.shippingAddress]?.jsonValue.map { try PostalAddress(json: $0) },
                             cancel: f[.cancelled]?.boolValue == true, fulfil: f[.fulfilled]?.boolValue == true)
        try await platform(ep).editOrder(id: orderID, edit)
        try engine.completeOrderPush(intent)
    }

    // MARK: Stock

    /// Moves a store's stock level by `delta` (``StorePlatform/adjustStock(_:by:)``: relative where the
    /// store can; WooCommerce writes the level read plus `delta` — a sale landing between that read and
    /// write is the one race left, see docs/sync-semantics.md).
    func pushStock(_ intent: PushIntent, remoteID: String, delta: Int64, ep: StoreEndpoint) async throws {
        let current = try await fetchProduct(ep, remoteID: remoteID)
        // Every attempt of this adjustment, across retries and restarts, until it completes: the
        // outbox entry begun for it keeps its first attempt's time.
        let firstAttempt = try engine.outboxEntry(for: intent)?.firstAttemptAt ?? clock.nowMilliseconds()
        do {
            try await platform(ep).adjustStock(current, by: delta, idempotencyKey: "\(intent.key):\(firstAttempt)")
        } catch let error as StoreAPIError where StoreClient.isInDoubt(error.method, error) {
            // A relative adjustment carries no idempotency key: whether this one was applied is read
            // from the level at once, before anything else can move it.
            guard try await adjustmentWasApplied(ep, remoteID: remoteID, before: Int64(current.stockQuantity ?? 0), delta: delta) else { throw error }
        }
        try engine.completeStockPush(intent)
    }

    /// Whether an adjustment by `delta` that got no definite answer was applied, from the level
    /// read right after it: moved by `delta`, yes; unmoved, no. A level that moved by something else
    /// too (a sale in the same instant) is taken for the nearer of the two explanations and logged:
    /// REST offers nothing better (docs/sync-semantics.md, "Stock").
    func adjustmentWasApplied(_ ep: StoreEndpoint, remoteID: String, before: Int64, delta: Int64) async throws -> Bool {
        let moved = Int64(try await fetchProduct(ep, remoteID: remoteID).stockQuantity ?? 0) - before
        if moved == delta { return true }
        if moved == 0 { return false }
        let applied = abs(moved - delta) < abs(moved)
        logger.warning("stock adjustment in doubt: the level moved by another amount too", metadata: [
            "store": "\(ep.link)", "id": "\(remoteID)", "delta": "\(delta)", "moved": "\(moved)", "taken_as_applied": "\(applied)",
        ])
        return applied
    }

    /// A record the read before an update found gone: the deletion is applied like a complete scan's,
    /// and the write is not sent (counted as `superseded` and `deleted`).
    func applyDeletionFoundByRead(_ ep: StoreEndpoint, kind: EntityKind, remoteID: String, counts: inout SyncPassSummary.StoreCounts) throws {
        logger.info("record gone from the store before an update; applying the deletion", metadata: ["store": "\(ep.link)", "kind": "\(kind.rawValue)", "id": "\(remoteID)"])
        if try engine.ingestDeletion(link: ep.link, kind: kind, remoteID: remoteID) != nil { counts.deleted += 1 }
        counts.superseded += 1
    }

    /// The store's current record of a sellable SKU, by the engine's remote id (`product` or `product/variant`).
    func fetchProduct(_ ep: StoreEndpoint, remoteID: String) async throws -> ProductRecord {
        try await fetchProductWithPayload(ep, remoteID: remoteID).record
    }

    /// ``fetchProduct(_:remoteID:)`` with the product's JSON as the store sent it. With `trashIsGone`,
    /// a product in the trash is reported as not found (a complete scan does not list it either).
    func fetchProductWithPayload(_ ep: StoreEndpoint, remoteID: String, trashIsGone: Bool = false) async throws -> StoreRead<ProductRecord> {
        let parts = remoteID.split(separator: "/").map(String.init)
        let variantID = parts.count > 1 ? parts[1] : nil
        let read = try await platform(ep).product(id: parts[0])
        if trashIsGone, read.trashed {
            throw StoreAPIError(code: .notFound, status: 404, method: .get, path: remoteID,
                                message: "store \(ep.link) has product \(remoteID) in the trash")
        }
        guard let record = read.records.first(where: { $0.remoteVariantID == variantID }) else {
            throw StoreAPIError(code: .notFound, status: 404, method: .get, path: remoteID,
                                message: "store \(ep.link) no longer has product \(remoteID)")
        }
        return StoreRead(record: record, payload: read.payload)
    }
}
