import Foundation
import SyncCore

/// A WooCommerce store through its REST API (``WooCommerceAPI``, `wc/v3`).
///
/// Pages are numbered and end as `X-WP-TotalPages` says (or at a short page). Customers have no
/// `modified_after`, so they are read only by complete scans. A variable product's sellable records
/// are its variations, read with it. Stock has no relative update: the level read plus the delta is
/// written (the one race left, docs/sync-semantics.md).
package struct WooCommercePlatform: StorePlatform {
    package let api: WooCommerceAPI
    /// The store's name in the configuration, for messages.
    package let store: String
    let transport: any StoreTransport
    let clock: any WallClock

    package init(api: WooCommerceAPI = WooCommerceAPI(), store: String, transport: any StoreTransport, clock: any WallClock) {
        self.api = api
        self.store = store
        self.transport = transport
        self.clock = clock
    }

    package var kind: StoreKind { .woocommerce }
    package var searchesProductsBySKU: Bool { true }
    package var format: any StoreRecordFormat { WooCommerceRecordFormat() }
    package func readsIncrementally(_ kind: EntityKind) -> Bool { kind != .contact }

    func send(_ request: StoreRequest) async throws -> StoreResponse { try await transport.send(request) }

    // MARK: Shop

    package func currency() async throws -> String {
        try WooCommerceAPI.currency(fromSetting: try await send(api.currencySetting()).body)
    }

    package func primaryLocationID() async throws -> String? { nil }

    package func taxRates() async throws -> [TaxRateRecord] {
        var rates: [TaxRateRecord] = []
        try await readPages(what: "tax rates", request: { api.taxes(page: $0) }) { response in
            let page = try WooCommerceAPI.taxRates(from: response.body)
            rates += page
            return page.count
        }
        return rates
    }

    // MARK: Paged reads

    /// Reads pages 1, 2, … of `request` until the headers (or a short page) say it was the last.
    /// `page` handles a response and returns how many items it had.
    func readPages(what: String, request: (Int) -> StoreRequest, _ page: (StoreResponse) async throws -> Int) async throws {
        var number = 1
        var trail = PageTrail(store: store, what: what, startedAt: clock.nowMilliseconds())
        while true {
            let response = try await send(request(number))
            try trail.read(response, now: clock.nowMilliseconds())
            let count = try await page(response)
            guard let next = WooCommercePage.nextPage(after: number, headers: response.headers, itemCount: count,
                                                      perPage: WooCommerceAPI.maxPageSize) else { return }
            number = next
        }
    }

    /// ``readPages(what:request:_:)`` over pages that are JSON lists, with the total the headers give.
    func readListPages(what: String, request: (Int) -> StoreRequest, _ page: ([JSONValue], Int?) async throws -> Void) async throws {
        try await readPages(what: what, request: request) { response in
            let items = try StorePageError.items(response.body, key: nil, store: store)
            try await page(items, WooCommercePage.totalItems(from: response.headers))
            return items.count
        }
    }

    /// Every customer (`since` is ignored: WooCommerce cannot filter customers by time; see ``readsIncrementally(_:)``).
    package func readContacts(since: Int64?, countTotal: Bool, _ body: (StorePage<ContactRecord>) async throws -> Void) async throws {
        try await readListPages(what: "customers", request: { api.customers(page: $0) }) { items, total in
            try await body(StorePage(items: items.map { json in StoreItem(json: json, record: Result { try WooCommerceAPI.contact(json: json) }) }, total: total))
        }
    }

    package func readProducts(since: Int64?, countTotal: Bool, _ body: (StorePage<[ProductRecord]>) async throws -> Void) async throws {
        try await readListPages(what: "products", request: { api.products(page: $0, modifiedAfter: since) }) { products, total in
            var items: [StoreItem<[ProductRecord]>] = []
            for product in products {
                var variations: [JSONValue] = []
                if WooCommerceAPI.isVariable(product), let id = product["id"]?.int {
                    variations = try await self.variations(productID: String(id))
                }
                items.append(StoreItem(json: product, record: Result { try Self.sellableRecords(product, variations: variations) }))
            }
            try await body(StorePage(items: items, total: total))
        }
    }

    /// A product's sellable records; a variable product without variations is refused with what to
    /// do (it is held with the reason rather than skipped without a word).
    static func sellableRecords(_ product: JSONValue, variations: [JSONValue]) throws -> [ProductRecord] {
        if WooCommerceAPI.isVariable(product), variations.isEmpty {
            throw RecordDecodingError(code: .missingField, message: """
                product \(product["id"]?.int.map(String.init) ?? "?"): a variable product without variations has no SKU, \
                price or stock to sync; add a variation in WooCommerce and it syncs at the next complete scan
                """)
        }
        return try WooCommerceAPI.productRecords(product: product, variations: variations)
    }

    func variations(productID: String) async throws -> [JSONValue] {
        var out: [JSONValue] = []
        try await readListPages(what: "variations of product \(productID)", request: { api.variations(productID: productID, page: $0) }) { items, _ in
            out += items
        }
        return out
    }

    /// Every order; tax lines name their rate by id, so the store's rates are read first and resolved.
    package func readOrders(_ body: (StorePage<OrderRecord>) async throws -> Void) async throws {
        let rates = try await taxRates()
        try await readListPages(what: "orders", request: { api.orders(page: $0) }) { items, total in
            try await body(StorePage(items: items.map { json in
                StoreItem(json: json, record: Result { try WooCommerceAPI.order(json: json).resolvingTaxRates(rates) })
            }, total: total))
        }
    }

    // MARK: Customers

    package func contact(id: String) async throws -> StoreRead<ContactRecord> {
        let response = try await send(api.customer(id: id))
        return StoreRead(record: try WooCommerceAPI.contact(from: response.body), payload: String(decoding: response.body, as: UTF8.self))
    }

    package func findContact(email: String) async throws -> ContactRecord? {
        let found = try WooCommerceAPI.contacts(from: try await send(api.customers(email: email)).body)
        return found.first { ContactRecord.normalizedEmail($0.email) == email }
    }

    package func createContact(_ record: ContactRecord, marker: EntityID) async throws -> ContactRecord {
        try WooCommerceAPI.contact(from: try await send(api.createCustomer(record, marker: marker)).body)
    }

    package func updateContact(_ record: ContactRecord, fields: Set<FieldKey>) async throws -> ContactRecord {
        try WooCommerceAPI.contact(from: try await send(api.updateCustomer(record, fields: fields)).body)
    }

    // MARK: Products

    package func product(id: String) async throws -> StoreProductRead {
        let product = try JSONValue.parse(try await send(api.product(id: id)).body)
        var variations: [JSONValue] = []
        if WooCommerceAPI.isVariable(product) { variations = try await self.variations(productID: id) }
        return StoreProductRead(records: try WooCommerceAPI.productRecords(product: product, variations: variations),
                                payload: product.jsonText, trashed: product["status"]?.string == "trash")
    }

    /// Searches by SKU (`changedSince` is not needed).
    package func findProduct(sku: String, changedSince: Int64?) async throws -> ProductRecord? {
        let found = try await send(api.products(sku: sku))
        guard let product = try WooCommerceAPI.productObjects(from: found.body).first else { return nil }
        // A variable parent with that SKU has no record of its own without its variations.
        return (try? WooCommerceAPI.productRecords(product: product))?.first { $0.sku == sku }
    }

    package func stockLevelAfterCreate(_ record: ProductRecord) -> Int64 { Int64(record.stockQuantity ?? 0) }

    package func createProduct(_ record: ProductRecord, marker: EntityID) async throws -> ProductRecord {
        let response = try await send(api.createProduct(record, marker: marker))
        guard let created = try WooCommerceAPI.productRecords(product: try JSONValue.parse(response.body)).first else {
            throw RecordDecodingError(code: .missingField, message: "store \(store) answered a product create without a product")
        }
        return created
    }

    package func updateProduct(_ record: ProductRecord, fields: Set<FieldKey>) async throws {
        for request in api.updateProduct(record, fields: fields) { _ = try await send(request) }
    }

    // MARK: Stock

    /// No idempotency key in this API: `idempotencyKey` is not sent.
    package func adjustStock(_ record: ProductRecord, by delta: Int64, idempotencyKey: String) async throws {
        _ = try await send(api.setStock(record, quantity: Int(Int64(record.stockQuantity ?? 0) + delta)))
    }

    /// WooCommerce has no inventory items or locations.
    package func stockLevel(inventoryItemID: String, locationID: String) async throws -> InventoryLevelRecord? { nil }

    // MARK: Orders

    /// One `PUT orders/{id}`: status `cancelled` or `completed`, the customer note, the shipping address.
    package func editOrder(id: String, _ edit: OrderEdit) async throws {
        let status: String? = edit.cancel ? "cancelled" : (edit.fulfil ? "completed" : nil)
        _ = try await send(api.updateOrder(id: id, WooCommerceAPI.OrderChanges(
            status: status, customerNote: edit.note.map { $0 ?? "" }, shippingAddress: edit.shippingAddress)))
    }

    // MARK: Webhooks

    package func webhookSubscriptions() async throws -> [WebhookSubscription] {
        try WooCommerceAPI.webhooks(from: try await send(api.webhooks()).body)
    }

    package func subscribe(topic: String, address: String, secret: String) async throws {
        _ = try await send(api.createWebhook(name: "OordenSync \(topic)", topic: topic, deliveryURL: address, secret: secret))
    }

    package func reactivate(_ subscription: WebhookSubscription) async throws {
        _ = try await send(api.updateWebhook(id: subscription.id, status: "active"))
    }

    // MARK: Diagnostics

    package func readPermissions() async throws -> ReadPermissions {
        try await PermissionProbe.check([
            PermissionProbe(what: "customers", request: api.customers(page: 1, perPage: 1)),
            PermissionProbe(what: "products", request: api.products(page: 1, perPage: 1)),
            PermissionProbe(what: "orders", request: api.orders(page: 1, perPage: 1)),
            PermissionProbe(what: "taxes", request: api.taxes()), PermissionProbe(what: "webhooks", request: api.webhooks()),
        ], over: transport)
    }

    package func taxRatesInUse() async throws -> (rates: [(percent: ExactDecimal, name: String)], source: String) {
        (try await taxRates().map { ($0.percent, $0.name) }, "the store's tax rates")
    }
}
