import Foundation
import SyncCore

/// A Shopify store through the REST Admin API (``ShopifyAPI``).
///
/// Pages follow the `Link` header's `page_info`. REST cannot search products by SKU, so an in-doubt
/// product create is looked for among the products changed since it
/// (``findProduct(sku:changedSince:)``). Stock is adjusted relatively at the shop's primary location.
package struct ShopifyRESTPlatform: StorePlatform {
    package let api: ShopifyAPI
    /// The store's name in the configuration, for messages.
    package let store: String
    let transport: any StoreTransport
    let clock: any WallClock

    package init(api: ShopifyAPI = ShopifyAPI(), store: String, transport: any StoreTransport, clock: any WallClock) {
        self.api = api
        self.store = store
        self.transport = transport
        self.clock = clock
    }

    package var kind: StoreKind { .shopify }
    package var searchesProductsBySKU: Bool { false }
    package var format: any StoreRecordFormat { ShopifyRecordFormat() }
    package func readsIncrementally(_ kind: EntityKind) -> Bool { true }

    func send(_ request: StoreRequest) async throws -> StoreResponse { try await transport.send(request) }

    func trail(_ what: String) -> PageTrail { PageTrail(store: store, what: what, startedAt: clock.nowMilliseconds()) }

    // MARK: Shop

    func shop() async throws -> ShopSettings { try ShopifyAPI.shopSettings(from: try await send(api.shop()).body) }

    package func currency() async throws -> String { try await shop().currency }

    package func primaryLocationID() async throws -> String? { try await shop().primaryLocationID }

    package func taxRates() async throws -> [TaxRateRecord] { [] }

    // MARK: Paged reads

    /// Follows `Link: <…page_info=…>; rel="next"` from `first` to the last page, or until `page` says stop.
    func readPages(_ first: StoreRequest, what: String, key: String, next: (String) -> StoreRequest,
                   _ page: ([JSONValue]) async throws -> PageVerdict) async throws {
        var request = first
        var trail = trail(what)
        while true {
            let response = try await send(request)
            try trail.read(response, now: clock.nowMilliseconds())
            guard try await page(try StorePageError.items(response.body, key: key, store: store)) == .more,
                  let info = ShopifyPage.nextPageInfo(from: response.headers) else { return }
            request = next(info)
        }
    }

    package func readContacts(since: Int64?, countTotal: Bool, _ body: (StorePage<ContactRecord>) async throws -> Void) async throws {
        let total = countTotal ? try? ShopifyAPI.count(from: try await send(api.customersCount(updatedAtMin: since)).body) : nil
        try await readPages(api.customers(updatedAtMin: since), what: "customers", key: "customers", next: { api.customersPage(pageInfo: $0) }) { items in
            try await body(StorePage(items: items.map { json in StoreItem(json: json, record: Result { try ShopifyAPI.contact(json: json) }) }, total: total))
            return .more
        }
    }

    package func readProducts(since: Int64?, countTotal: Bool, _ body: (StorePage<[ProductRecord]>) async throws -> Void) async throws {
        let total = countTotal ? try? ShopifyAPI.count(from: try await send(api.productsCount(updatedAtMin: since)).body) : nil
        try await readPages(api.products(updatedAtMin: since), what: "products", key: "products", next: { api.productsPage(pageInfo: $0) }) { items in
            try await body(StorePage(items: items.map { json in StoreItem(json: json, record: Result { try ShopifyAPI.productRecords(product: json) }) }, total: total))
            return .more
        }
    }

    package func readOrders(_ body: (StorePage<OrderRecord>) async throws -> Void) async throws {
        try await readPages(api.orders(), what: "orders", key: "orders", next: { api.ordersPage(pageInfo: $0) }) { items in
            try await body(StorePage(items: items.map { json in StoreItem(json: json, record: Result { try ShopifyAPI.order(json: json) }) }, total: nil))
            return .more
        }
    }

    // MARK: Customers

    package func contact(id: String) async throws -> StoreRead<ContactRecord> {
        let response = try await send(api.customer(id: id))
        return StoreRead(record: try ShopifyAPI.contact(from: response.body), payload: String(decoding: response.body, as: UTF8.self))
    }

    package func findContact(email: String) async throws -> ContactRecord? {
        let found = try ShopifyAPI.contacts(from: try await send(api.searchCustomers(email: email)).body)
        return found.first { ContactRecord.normalizedEmail($0.email) == email }
    }

    package func createContact(_ record: ContactRecord, marker: EntityID) async throws -> ContactRecord {
        try ShopifyAPI.contact(from: try await send(api.createCustomer(record, marker: marker)).body)
    }

    package func updateContact(_ record: ContactRecord, fields: Set<FieldKey>) async throws -> ContactRecord {
        try ShopifyAPI.contact(from: try await send(api.updateCustomer(record, fields: fields)).body)
    }

    // MARK: Products

    package func product(id: String) async throws -> StoreProductRead {
        let response = try await send(api.product(id: id))
        return StoreProductRead(records: try ShopifyAPI.productRecordsOfProduct(from: response.body),
                                payload: String(decoding: response.body, as: UTF8.self), trashed: false)
    }

    /// REST cannot search by SKU: reads the products updated since `changedSince`; nil without it.
    package func findProduct(sku: String, changedSince: Int64?) async throws -> ProductRecord? {
        guard let changedSince else { return nil }
        var found: ProductRecord?
        try await readPages(api.products(updatedAtMin: changedSince), what: "recently updated products", key: "products",
                            next: { api.productsPage(pageInfo: $0) }) { items in
            for product in items {
                // A product without variants (held by the scans) has no SKU to match.
                if let match = (try? ShopifyAPI.productRecords(product: product))?.first(where: { $0.sku == sku }) {
                    found = match
                    return .done
                }
            }
            return .more
        }
        return found
    }

    package func stockLevelAfterCreate(_ record: ProductRecord) -> Int64 { 0 }

    package func createProduct(_ record: ProductRecord, marker: EntityID) async throws -> ProductRecord {
        let response = try await send(api.createProduct(record, marker: marker))
        guard let created = try ShopifyAPI.productRecordsOfProduct(from: response.body).first else {
            throw RecordDecodingError(code: .missingField, message: "store \(store) created a product without variants")
        }
        return created
    }

    package func updateProduct(_ record: ProductRecord, fields: Set<FieldKey>) async throws {
        for request in api.updateProduct(record, fields: fields) { _ = try await send(request) }
    }

    // MARK: Stock

    /// No idempotency key in this API: `idempotencyKey` is not sent.
    package func adjustStock(_ record: ProductRecord, by delta: Int64, idempotencyKey: String) async throws {
        guard let item = record.inventoryItemID else {
            throw StoreAPIError(code: .validation, method: .post, path: record.remoteProductID,
                                message: "variant \(record.remoteVariantID ?? record.remoteProductID) has no inventory item; it does not track stock")
        }
        guard let location = try await primaryLocationID() else {
            throw StoreAPIError(code: .validation, method: .get, path: "shop", message: "the shop reports no primary location for stock")
        }
        _ = try await send(api.adjustInventory(inventoryItemID: item, locationID: location, delta: Int(delta)))
    }

    package func stockLevel(inventoryItemID: String, locationID: String) async throws -> InventoryLevelRecord? {
        let body = try await send(api.inventoryLevels(inventoryItemIDs: [inventoryItemID], locationIDs: [locationID])).body
        return try ShopifyAPI.inventoryLevels(from: body).first { $0.inventoryItemID == inventoryItemID && $0.locationID == locationID }
    }

    // MARK: Orders

    /// Note and address in one `PUT orders/{id}`; cancelling and fulfilling are not repeatable (a
    /// second one is refused, and a POST answered 5xx may have been applied), so the order is read
    /// first and what it already shows is skipped. Fulfilment is at the primary location.
    package func editOrder(id: String, _ edit: OrderEdit) async throws {
        if edit.note != nil || edit.shippingAddress != nil {
            _ = try await send(api.updateOrder(id: id, ShopifyAPI.OrderChanges(note: edit.note.map { $0 ?? "" }, shippingAddress: edit.shippingAddress)))
        }
        guard edit.cancel || edit.fulfil else { return }
        let current = try ShopifyAPI.order(from: try await send(api.order(id: id)).body).lifecycle
        if edit.cancel {
            if !current.cancelled { _ = try await send(api.cancelOrder(id: id)) }
        } else if current.fulfillment != .fulfilled {
            guard let location = try await primaryLocationID() else {
                throw StoreAPIError(code: .validation, method: .get, path: "shop", message: "the shop reports no primary location to fulfil from")
            }
            _ = try await send(api.fulfillOrder(id: id, locationID: location))
        }
    }

    // MARK: Webhooks

    package func webhookSubscriptions() async throws -> [WebhookSubscription] {
        try ShopifyAPI.webhooks(from: try await send(api.webhooks()).body)
    }

    package func subscribe(topic: String, address: String, secret: String) async throws {
        _ = try await send(api.registerWebhook(topic: topic, address: address))
    }

    /// Shopify subscriptions have no status: it removes failing ones instead, so subscribing again is the repair.
    package func reactivate(_ subscription: WebhookSubscription) async throws {
        try await subscribe(topic: subscription.topic, address: subscription.address, secret: "")
    }

    // MARK: Diagnostics

    package func readPermissions() async throws -> ReadPermissions {
        try await PermissionProbe.check([
            PermissionProbe(what: "customers", request: api.customers(limit: 1)), PermissionProbe(what: "products", request: api.products(limit: 1)),
            PermissionProbe(what: "orders", request: api.orders(limit: 1)), PermissionProbe(what: "webhooks", request: api.webhooks()),
        ], over: transport)
    }

    /// Shopify REST has no rate list: the rates charged on the latest 250 orders.
    package func taxRatesInUse() async throws -> (rates: [(percent: ExactDecimal, name: String)], source: String) {
        let orders = try ShopifyAPI.orders(from: try await send(api.orders(limit: 250)).body)
        var seen: Set<ExactDecimal> = []
        var out: [(percent: ExactDecimal, name: String)] = []
        for percent in orders.flatMap(\.taxPercents) where seen.insert(percent).inserted { out.append((percent, "")) }
        return (out.sorted { $0.percent < $1.percent }, "the taxes of the store's latest \(orders.count) orders")
    }
}
