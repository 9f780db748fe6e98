import Foundation
import SyncCore

/// A Shopify store through the GraphQL Admin API: the platform for apps made in the Dev Dashboard,
/// and the default for `kind: shopify` (``ShopifyRESTPlatform`` stays for legacy custom apps).
///
/// What it does differently from REST, and why:
/// - every variant of a product is read and written (REST stops at 100; merchants may have 2,048);
/// - a product is created with its SKU and our marker in one `productSet`, so a create answered 5xx
///   is either absent or whole — the SKU lookup before a retry finds it (``searchesProductsBySKU``);
/// - stock moves by `inventoryAdjustQuantities` under `@idempotent(key:)`: an adjustment that got no
///   definite answer is sent again with the same key (the client retries it like a PUT), and
///   Shopify applies one key once;
/// - requests are paced by the query cost Shopify reports (``ShopifyQueryCostPacer``), not a call rate;
/// - a refusal is a `userErrors` answer, turned into a `validation` error in Shopify's words (the
///   driver holds the record with them).
/// Webhook bodies stay REST-shaped for GraphQL apps too, so ``format`` is REST's.
package struct ShopifyGraphQLPlatform: StorePlatform {
    /// The scopes a pass reads with, by the resource `doctor` names.
    static let readScopes: [(what: String, scope: String)] = [
        ("customers", "read_customers"), ("products", "read_products"), ("inventory", "read_inventory"), ("orders", "read_orders"),
    ]

    package let reader: ShopifyGraphQLReader
    let locations: ShopifyLocationCache
    /// How complete scans read by bulk export; nil reads them page by page.
    package let bulk: ShopifyBulkReads?
    var client: ShopifyGraphQLClient { reader.client }
    package var store: String { reader.store }

    package init(client: ShopifyGraphQLClient, store: String, clock: any WallClock, bulk: ShopifyBulkReads? = nil,
                 locations: ShopifyLocationCache = ShopifyLocationCache()) {
        self.reader = ShopifyGraphQLReader(client: client, store: store, clock: clock)
        self.bulk = bulk
        self.locations = locations
    }

    package var kind: StoreKind { .shopify }
    package var searchesProductsBySKU: Bool { true }
    package var format: any StoreRecordFormat { ShopifyRecordFormat() }
    package func readsIncrementally(_ kind: EntityKind) -> Bool { true }

    /// Runs a mutation and returns its payload; `userErrors` throw (``ShopifyGraphQLMutations/payload(_:of:operation:client:)``).
    func mutate(_ operation: GraphQLOperation, _ field: String) async throws -> JSONValue {
        try ShopifyGraphQLMutations.payload(try await client.execute(operation), of: field, operation: operation, client: client)
    }

    // MARK: Shop

    package func currency() async throws -> String { try await reader.shop().currency }

    /// Asked once per ``ShopifyLocationCache/lifetimeMilliseconds``, not once per stock adjustment.
    package func primaryLocationID() async throws -> String? {
        try await locations.primaryLocationID(now: reader.clock.nowMilliseconds()) { try await reader.shop().primaryLocationID }
    }

    /// Shopify lists no tax rates: each tax line carries its rate.
    package func taxRates() async throws -> [TaxRateRecord] { [] }

    // MARK: Paged reads

    /// A complete read is a bulk export when ``bulk`` is set (its pages carry ``StorePage/snapshotAt``).
    package func readContacts(since: Int64?, countTotal: Bool, _ body: (StorePage<ContactRecord>) async throws -> Void) async throws {
        if since == nil, let bulk { return try await reader.bulkContacts(bulk, body) }
        try await reader.readContacts(since: since, countTotal: countTotal, body)
    }

    /// A complete read is a bulk export when ``bulk`` is set.
    package func readProducts(since: Int64?, countTotal: Bool, _ body: (StorePage<[ProductRecord]>) async throws -> Void) async throws {
        if since == nil, let bulk { return try await reader.bulkProducts(bulk, body) }
        try await reader.readProducts(since: since, countTotal: countTotal, body)
    }

    package func readOrders(_ body: (StorePage<OrderRecord>) async throws -> Void) async throws {
        try await reader.readOrders(body)
    }

    // MARK: Customers

    package func contact(id: String) async throws -> StoreRead<ContactRecord> { try await reader.contact(id: id) }

    package func findContact(email: String) async throws -> ContactRecord? {
        try await reader.contacts(matchingEmail: email).first { ContactRecord.normalizedEmail($0.email) == email }
    }

    package func createContact(_ record: ContactRecord, marker: EntityID) async throws -> ContactRecord {
        let payload = try await mutate(ShopifyGraphQLMutations.customerCreate(record, marker: marker), "customerCreate")
        guard let customer = payload["customer"], !customer.isNull else { throw answeredWithout("customer", "customerCreate") }
        return try ShopifyGraphQLRecords.contact(node: customer)
    }

    /// Scalar fields by `customerUpdate`; the address (with the company) written whole as the default
    /// address; then the customer as Shopify now has it.
    package func updateContact(_ record: ContactRecord, fields: Set<FieldKey>) async throws -> ContactRecord {
        let scalar = fields.subtracting([.address, .company])
        var answered: JSONValue?
        if !scalar.isEmpty {
            answered = try await mutate(ShopifyGraphQLMutations.customerUpdate(record, fields: scalar), "customerUpdate")["customer"]
        }
        if fields.contains(.address) || fields.contains(.company) {
            let operation = ShopifyGraphQLMutations.customerAddress(record)
            _ = try await mutate(operation, record.remoteAddressID == nil ? "customerAddressCreate" : "customerAddressUpdate")
            answered = nil
        }
        if let answered, !answered.isNull { return try ShopifyGraphQLRecords.contact(node: answered) }
        return try await reader.contact(id: record.remoteID).record
    }

    // MARK: Products

    package func product(id: String) async throws -> StoreProductRead { try await reader.product(id: id) }

    /// Shopify searches variants by SKU at any time, so `changedSince` is not needed.
    package func findProduct(sku: String, changedSince: Int64?) async throws -> ProductRecord? {
        try await reader.products(matchingSKU: sku).first { $0.sku == sku }
    }

    /// `productSet` creates no stock: the driver adjusts the new variant's level after the create.
    package func stockLevelAfterCreate(_ record: ProductRecord) -> Int64 { 0 }

    package func createProduct(_ record: ProductRecord, marker: EntityID) async throws -> ProductRecord {
        let payload = try await mutate(ShopifyGraphQLMutations.productCreate(record, marker: marker), "productSet")
        guard let product = payload["product"], !product.isNull, let created = try ShopifyGraphQLRecords.productRecords(node: product).first else {
            throw answeredWithout("product", "productSet")
        }
        return created
    }

    package func updateProduct(_ record: ProductRecord, fields: Set<FieldKey>) async throws {
        if let operation = ShopifyGraphQLMutations.productUpdate(record, fields: fields) { _ = try await mutate(operation, "productUpdate") }
        if let operation = ShopifyGraphQLMutations.variantUpdate(record, fields: fields) { _ = try await mutate(operation, "productVariantsBulkUpdate") }
    }

    // MARK: Errors

    func answeredWithout(_ what: String, _ mutation: String) -> StoreAPIError {
        StoreAPIError(code: .malformedResponse, method: .post, path: client.path,
                      message: "Shopify answered \(mutation) for store \(store) without the \(what) and without saying why")
    }
}
