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
    /// without its response reaching us: it is looked up in the store first (``pushContact(_:ep:counts:)``
    /// and WooCommerce products search by e-mail/SKU on every create; Shopify products, which REST cannot
    /// search by SKU, among the products changed since the first attempt).
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
                try await pushStock(intent, remoteID: remoteID, delta: delta, ep: ep, counts: &counts)
            } else {
                switch intent.kind {
                case .contact: try await pushContact(intent, ep: ep, counts: &counts)
                case .product: try await pushProduct(intent, ep: ep, inDoubtSince: previous.flatMap { $0.inDoubt ? $0.firstAttemptAt : nil }, counts: &counts)
                case .order: try await pushOrderEdit(intent, ep: ep, counts: &counts)
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
        error is RecordDecodingError || error is JSONParseError || error is ValueDecodingError || error is ExactDecimalError
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
        switch intent.action {
        case .create:
            // Search first: a retry after a crash between the create and its completion links instead
            // of creating the customer twice.
            if let key = intent.naturalKey, let existing = try await findContact(ep, email: key, counts: &counts) {
                try engine.completePush(intent, contact: existing, answered: false)
                return
            }
            let record = try ContactRecord(store: ep.kind, remoteID: "").applying(intent.record)
            let request = ep.kind == .shopify
                ? ep.shopify.createCustomer(record, marker: intent.entity)
                : ep.wooCommerce.createCustomer(record, marker: intent.entity)
            let response: StoreResponse
            do {
                response = try await send(ep, request)
            } catch let error as StoreAPIError where Self.refusedAsExisting(error, kind: .contact) {
                // The e-mail is taken: a create of ours whose answer was lost, or a customer made
                // since the search. Link it; the merge then decides field by field.
                counts.requests += 1
                guard let key = intent.naturalKey, let existing = try await findContact(ep, email: key, counts: &counts) else { throw error }
                try engine.completePush(intent, contact: existing, answered: false)
                return
            }
            counts.requests += 1
            try engine.completePush(intent, contact: try parseContact(ep, response.body))
        case .update(let remoteID):
            // Read-merge-write (``SyncEngine/mergeBeforeUpdate(_:contact:)``): an edit the merchant made
            // since the engine last saw the customer is merged first instead of being overwritten.
            let read: StoreResponse
            do {
                read = try await send(ep, ep.kind == .shopify ? ep.shopify.customer(id: remoteID) : ep.wooCommerce.customer(id: remoteID))
            } catch let error as StoreAPIError where error.code == .notFound {
                // Deleted in the store since the engine last saw it: a deletion to apply, not a record to write.
                try applyDeletionFoundByRead(ep, kind: .contact, remoteID: remoteID, counts: &counts)
                return
            }
            counts.requests += 1
            let current = try parseContact(ep, read.body)
            guard try engine.mergeBeforeUpdate(intent, contact: IncomingRecord(current, payload: String(decoding: read.body, as: UTF8.self))) else {
                counts.superseded += 1
                return
            }
            let record = try ContactRecord(store: ep.kind, remoteID: remoteID).applying(intent.record)
            let fields = Set(intent.fields.keys)
            let request = ep.kind == .shopify
                ? ep.shopify.updateCustomer(record, fields: fields)
                : ep.wooCommerce.updateCustomer(record, fields: fields)
            let response = try await send(ep, request)
            counts.requests += 1
            try engine.completePush(intent, contact: try parseContact(ep, response.body))
        case .adjustStock:
            return
        }
    }

    func findContact(_ ep: StoreEndpoint, email: String, counts: inout SyncPassSummary.StoreCounts) async throws -> ContactRecord? {
        let request = ep.kind == .shopify ? ep.shopify.searchCustomers(email: email) : ep.wooCommerce.customers(email: email)
        let response = try await send(ep, request)
        counts.requests += 1
        let found = ep.kind == .shopify ? try ShopifyAPI.contacts(from: response.body) : try WooCommerceAPI.contacts(from: response.body)
        return found.first { ContactRecord.normalizedEmail($0.email) == email }
    }

    func parseContact(_ ep: StoreEndpoint, _ body: Data) throws -> ContactRecord {
        ep.kind == .shopify ? try ShopifyAPI.contact(from: body) : try WooCommerceAPI.contact(from: body)
    }

    // MARK: Products

    func pushProduct(_ intent: PushIntent, ep: StoreEndpoint, inDoubtSince: Int64? = nil, counts: inout SyncPassSummary.StoreCounts) async throws {
        switch intent.action {
        case .create:
            // An earlier attempt may have created it: Shopify REST cannot search by SKU, so read the
            // products changed since that attempt (minus a margin for the store's clock).
            if ep.kind == .shopify, let since = inDoubtSince, let sku = intent.naturalKey,
               let existing = try await findRecentShopifyProduct(ep, sku: sku, since: since, counts: &counts) {
                try engine.completePush(intent, product: existing, answered: false)
                return
            }
            let name = intent.record["name"]?.stringValue ?? intent.naturalKey ?? "Producto"
            var record = try ProductRecord(store: ep.kind, remoteProductID: "", name: name).applying(intent.record)
            if let stock = intent.stock {
                record.manageStock = true
                record.stockQuantity = Int(stock)
            }
            switch ep.kind {
            case .shopify:
                try engine.willSendCreate(intent, level: 0)
                let response = try await send(ep, ep.shopify.createProduct(record, marker: intent.entity))
                counts.requests += 1
                guard let created = try ShopifyAPI.productRecordsOfProduct(from: response.body).first else {
                    throw SyncDriverError(code: .malformedPage, message: "store \(ep.link) created a product without variants")
                }
                try engine.completePush(intent, product: created)
            case .woocommerce:
                if let sku = intent.naturalKey, let existing = try await findWooProduct(ep, sku: sku, counts: &counts) {
                    try engine.completePush(intent, product: existing, answered: false)
                    return
                }
                let response: StoreResponse
                do {
                    try engine.willSendCreate(intent, level: Int64(record.stockQuantity ?? 0))
                    response = try await send(ep, ep.wooCommerce.createProduct(record, marker: intent.entity))
                } catch let error as StoreAPIError where Self.refusedAsExisting(error, kind: .product) {
                    // The SKU is taken (a create of ours whose answer was lost): link that product.
                    counts.requests += 1
                    guard let sku = intent.naturalKey, let existing = try await findWooProduct(ep, sku: sku, counts: &counts) else { throw error }
                    try engine.completePush(intent, product: existing, answered: false)
                    return
                }
                counts.requests += 1
                guard let created = try WooCommerceAPI.productRecords(product: try JSONValue.parse(response.body)).first else {
                    throw SyncDriverError(code: .malformedPage, message: "store \(ep.link) answered a product create without a product")
                }
                try engine.completePush(intent, product: created)
            }
        case .update(let remoteID):
            // Read-merge-write: a variant's own title is not a canonical field, so start from the
            // store's current record; an edit the engine has not seen yet is merged first instead of
            // being overwritten (``SyncEngine/mergeBeforeUpdate(_:product:)``); read the result back.
            let current: ProductRecord
            let payload: String
            do {
                (current, payload) = try await fetchProductWithPayload(ep, remoteID: remoteID, trashIsGone: true, counts: &counts)
            } catch let error as StoreAPIError where error.code == .notFound {
                // Deleted (or, in WooCommerce, trashed) in the store since the engine last saw it: a
                // deletion to apply, as the next complete scan would — writing to a trashed product
                // would keep it linked, and a later reactivation would restore it from the trash.
                try applyDeletionFoundByRead(ep, kind: .product, remoteID: remoteID, counts: &counts)
                return
            }
            guard try engine.mergeBeforeUpdate(intent, product: IncomingRecord(current, payload: payload)) else {
                counts.superseded += 1
                return
            }
            let updated = try current.applying(intent.fields)
            let fields = Set(intent.fields.keys)
            let requests = ep.kind == .shopify ? ep.shopify.updateProduct(updated, fields: fields) : ep.wooCommerce.updateProduct(updated, fields: fields)
            for request in requests {
                _ = try await send(ep, request)
                counts.requests += 1
            }
            try engine.completePush(intent, product: try await fetchProduct(ep, remoteID: remoteID, counts: &counts))
        case .adjustStock:
            return
        }
    }

    /// The WooCommerce product or variation with this SKU, or nil.
    func findWooProduct(_ ep: StoreEndpoint, sku: String, counts: inout SyncPassSummary.StoreCounts) async throws -> ProductRecord? {
        let found = try await send(ep, ep.wooCommerce.products(sku: sku))
        counts.requests += 1
        guard let product = try WooCommerceAPI.productObjects(from: found.body).first else { return nil }
        // A variable parent with that SKU has no record of its own without its variations.
        return (try? WooCommerceAPI.productRecords(product: product))?.first { $0.sku == sku }
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

    /// The Shopify variant with this SKU among the products updated since `since` (our clock, widened
    /// by 5 minutes and the store's estimated clock offset), or nil.
    func findRecentShopifyProduct(_ ep: StoreEndpoint, sku: String, since: Int64, counts: inout SyncPassSummary.StoreCounts) async throws -> ProductRecord? {
        let offset = try engine.link(named: ep.link)?.clockOffsetMilliseconds ?? 0
        var request = ep.shopify.products(updatedAtMin: since + offset - 300_000 - abs(offset))
        var trail = pageTrail(ep, "recently updated products")
        while true {
            let response = try await send(ep, request)
            counts.requests += 1
            try trail.read(response, now: clock.nowMilliseconds())
            for product in try Self.items(response.body, key: "products", store: ep.link) {
                // A product without variants (held by the scans) has no SKU to match.
                if let found = (try? ShopifyAPI.productRecords(product: product))?.first(where: { $0.sku == sku }) { return found }
            }
            guard let next = ShopifyPage.nextPageInfo(from: response.headers) else { return nil }
            request = ep.shopify.productsPage(pageInfo: next)
        }
    }

    // MARK: Order edits

    /// Writes Oorden users' edits of an imported order to its store: note, shipping address,
    /// cancellation, fulfilment (Shopify: the order's fulfillment at the primary location;
    /// WooCommerce: status `completed`).
    func pushOrderEdit(_ intent: PushIntent, ep: StoreEndpoint, counts: inout SyncPassSummary.StoreCounts) async throws {
        guard case .update(let orderID) = intent.action else { return }
        let f = intent.fields
        let note: String?? = f["note"].map { $0.stringValue }
        let address = try f["shipping_address"]?.jsonValue.map { try PostalAddress(json: $0) }
        let cancel = f["cancelled"]?.boolValue == true
        let fulfil = f["fulfilled"]?.boolValue == true
        switch ep.kind {
        case .shopify:
            if note != nil || address != nil {
                _ = try await send(ep, ep.shopify.updateOrder(id: orderID, ShopifyAPI.OrderChanges(note: note.map { $0 ?? "" }, shippingAddress: address)))
                counts.requests += 1
            }
            // Cancelling and fulfilling are not repeatable (a second one is refused, and a POST answered
            // 5xx may have been applied): read the order first and skip what it already shows.
            var current: OrderLifecycle?
            if cancel || fulfil {
                current = try ShopifyAPI.order(from: try await send(ep, ep.shopify.order(id: orderID)).body).lifecycle
                counts.requests += 1
            }
            if cancel {
                if current?.cancelled != true {
                    _ = try await send(ep, ep.shopify.cancelOrder(id: orderID))
                    counts.requests += 1
                }
            } else if fulfil, current?.fulfillment != .fulfilled {
                let shop = try ShopifyAPI.shopSettings(from: try await send(ep, ep.shopify.shop()).body)
                guard let location = shop.primaryLocationID else {
                    throw StoreAPIError(code: .validation, method: .get, path: "shop", message: "the shop reports no primary location to fulfil from")
                }
                _ = try await send(ep, ep.shopify.fulfillOrder(id: orderID, locationID: location))
                counts.requests += 2
            }
        case .woocommerce:
            let status: String? = cancel ? "cancelled" : (fulfil ? "completed" : nil)
            _ = try await send(ep, ep.wooCommerce.updateOrder(id: orderID, WooCommerceAPI.OrderChanges(
                status: status, customerNote: note.map { $0 ?? "" }, shippingAddress: address)))
            counts.requests += 1
        }
        try engine.completeOrderPush(intent)
    }

    // MARK: Stock

    /// Moves a store's stock level by `delta`: Shopify adjusts relatively (a sale racing the push is
    /// kept); WooCommerce has no relative update, so the level is read and written back at once — a
    /// sale landing between that read and write is the one race left (see docs/sync-semantics.md).
    func pushStock(_ intent: PushIntent, remoteID: String, delta: Int64, ep: StoreEndpoint, counts: inout SyncPassSummary.StoreCounts) async throws {
        let current = try await fetchProduct(ep, remoteID: remoteID, counts: &counts)
        switch ep.kind {
        case .shopify:
            guard let item = current.inventoryItemID else {
                throw StoreAPIError(code: .validation, method: .post, path: remoteID, message: "variant \(remoteID) has no inventory item; it does not track stock")
            }
            let shop = try ShopifyAPI.shopSettings(from: try await send(ep, ep.shopify.shop()).body)
            guard let location = shop.primaryLocationID else {
                throw StoreAPIError(code: .validation, method: .get, path: "shop", message: "the shop reports no primary location for stock")
            }
            counts.requests += 2
            do {
                _ = try await send(ep, ep.shopify.adjustInventory(inventoryItemID: item, locationID: location, delta: Int(delta)))
            } catch let error as StoreAPIError where StoreClient.isInDoubt(.post, error) {
                // REST adjustments carry no idempotency key: whether this one was applied is read
                // from the level at once, before anything else can move it.
                guard try await adjustmentWasApplied(ep, remoteID: remoteID, before: Int64(current.stockQuantity ?? 0), delta: delta,
                                                     counts: &counts) else { throw error }
            }
        case .woocommerce:
            let level = Int64(current.stockQuantity ?? 0)
            _ = try await send(ep, ep.wooCommerce.setStock(current, quantity: Int(level + delta)))
            counts.requests += 1
        }
        try engine.completeStockPush(intent)
    }

    /// Whether a Shopify adjustment by `delta` that got no definite answer was applied, from the level
    /// read right after it: moved by `delta`, yes; unmoved, no. A level that moved by something else
    /// too (a sale in the same instant) is taken for the nearer of the two explanations and logged:
    /// REST offers nothing better (docs/sync-semantics.md, "Stock").
    func adjustmentWasApplied(_ ep: StoreEndpoint, remoteID: String, before: Int64, delta: Int64,
                              counts: inout SyncPassSummary.StoreCounts) async throws -> Bool {
        let moved = Int64(try await fetchProduct(ep, remoteID: remoteID, counts: &counts).stockQuantity ?? 0) - before
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
    func fetchProduct(_ ep: StoreEndpoint, remoteID: String, counts: inout SyncPassSummary.StoreCounts) async throws -> ProductRecord {
        try await fetchProductWithPayload(ep, remoteID: remoteID, counts: &counts).record
    }

    /// ``fetchProduct(_:remoteID:counts:)`` with the product's JSON as the store sent it. With
    /// `trashIsGone`, a WooCommerce product in the trash is reported as not found (a complete scan does
    /// not list it either).
    func fetchProductWithPayload(_ ep: StoreEndpoint, remoteID: String, trashIsGone: Bool = false,
                                 counts: inout SyncPassSummary.StoreCounts) async throws -> (record: ProductRecord, payload: String) {
        let parts = remoteID.split(separator: "/").map(String.init)
        let productID = parts[0]
        let variantID = parts.count > 1 ? parts[1] : nil
        let (records, payload, trashed) = try await readProduct(ep, productID: productID, counts: &counts)
        if trashIsGone, trashed {
            throw StoreAPIError(code: .notFound, status: 404, method: .get, path: remoteID,
                                message: "store \(ep.link) has product \(remoteID) in the trash")
        }
        guard let record = records.first(where: { $0.remoteVariantID == variantID }) else {
            throw StoreAPIError(code: .notFound, status: 404, method: .get, path: remoteID,
                                message: "store \(ep.link) no longer has product \(remoteID)")
        }
        return (record, payload)
    }

    /// Every sellable record of one store product (`GET products/{id}`, and a WooCommerce variable
    /// product's variations), the product's JSON text, and whether it is in the WooCommerce trash.
    func readProduct(_ ep: StoreEndpoint, productID: String, counts: inout SyncPassSummary.StoreCounts) async throws
        -> (records: [ProductRecord], payload: String, trashed: Bool) {
        switch ep.kind {
        case .shopify:
            let response = try await send(ep, ep.shopify.product(id: productID))
            counts.requests += 1
            return (try ShopifyAPI.productRecordsOfProduct(from: response.body), String(decoding: response.body, as: UTF8.self), false)
        case .woocommerce:
            let response = try await send(ep, ep.wooCommerce.product(id: productID))
            counts.requests += 1
            let product = try JSONValue.parse(response.body)
            var variations: [JSONValue] = []
            if WooCommerceAPI.isVariable(product) { variations = try await wooVariations(ep, productID: productID, counts: &counts) }
            return (try WooCommerceAPI.productRecords(product: product, variations: variations), product.jsonText, product["status"]?.string == "trash")
        }
    }
}
