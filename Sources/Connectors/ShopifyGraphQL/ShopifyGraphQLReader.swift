import Foundation
import SyncCore

/// Paged and one-record reads of a shop through the GraphQL Admin API.
///
/// Connections are followed by `pageInfo.endCursor` until `hasNextPage` is false; incremental reads
/// filter with `query: "updated_at:>='…'"` (``ShopifyGraphQLDocuments/updatedSince(_:)``). Every page
/// goes through a ``PageTrail``, as REST pages do, so a cursor that leads back stops the read. A
/// product whose variants do not fit its page reads the rest through its own variant connection
/// before the page is handed on, so a page always carries whole products.
///
/// ```swift
/// let reader = ShopifyGraphQLReader(client: graphql, store: "tienda", clock: clock)
/// try await reader.readContacts(since: lastPass) { page in … }
/// ```
package struct ShopifyGraphQLReader: Sendable {
    package let client: ShopifyGraphQLClient
    /// The store's name in the configuration, for messages.
    package let store: String
    let clock: any WallClock

    package init(client: ShopifyGraphQLClient, store: String, clock: any WallClock) {
        self.client = client
        self.store = store
        self.clock = clock
    }

    // MARK: Shop

    /// The shop's settings, with its primary location.
    package func shop() async throws -> ShopSettings {
        let data = try await client.execute(ShopifyGraphQLDocuments.shop)
        guard let shop = data["shop"] else { throw missing("shop", in: "Shop") }
        return try ShopifyGraphQLRecords.shopSettings(shop: shop, primaryLocation: data["location"]?["id"]?.string)
    }

    // MARK: Paged reads

    /// Reads customers page by page — all of them, or those updated since `since` (store time).
    /// `countTotal` reads `customersCount` first, for progress (a query more).
    package func readContacts(since: Int64?, countTotal: Bool = false, _ body: (StorePage<ContactRecord>) async throws -> Void) async throws {
        let query = ShopifyGraphQLDocuments.updatedSince(since)
        let total = countTotal ? try? await count("customersCount", query: query) : nil
        try await readConnection("customers", operation: { ShopifyGraphQLDocuments.customers(after: $0, query: query) }) { nodes in
            try await body(StorePage(items: nodes.map { node in StoreItem(json: node, record: Result { try ShopifyGraphQLRecords.contact(node: node) }) }, total: total))
        }
    }

    /// Reads products page by page, each item one product with every one of its variants.
    /// `countTotal` reads `productsCount` first, for progress.
    package func readProducts(since: Int64?, countTotal: Bool = false, _ body: (StorePage<[ProductRecord]>) async throws -> Void) async throws {
        let query = ShopifyGraphQLDocuments.updatedSince(since)
        let total = countTotal ? try? await count("productsCount", query: query) : nil
        try await readConnection("products", operation: { ShopifyGraphQLDocuments.products(after: $0, query: query) }) { nodes in
            var items: [StoreItem<[ProductRecord]>] = []
            for node in nodes {
                let (complete, more) = try await withRemainingVariants(node)
                items.append(StoreItem(json: complete, record: Result { try ShopifyGraphQLRecords.productRecords(node: node, moreVariants: more) }))
            }
            try await body(StorePage(items: items, total: total))
        }
    }

    /// `customersCount` / `productsCount` for the records `query` selects.
    func count(_ field: String, query: String?) async throws -> Int {
        let name = field.prefix(1).uppercased() + field.dropFirst()
        let op = GraphQLOperation(name: name, query: "query \(name)($query: String) { \(field)(query: $query) { count } }",
                                  variables: query.map { ["query": .string($0)] } ?? [:])
        guard let count = try await client.execute(op)[field]?["count"]?.int else { throw missing(field, in: op.name) }
        return count
    }

    /// Follows the connection at `data[key]` from its first page to its last.
    func readConnection(_ key: String, operation: (String?) -> GraphQLOperation, _ page: ([JSONValue]) async throws -> Void) async throws {
        try await followConnection(key, at: [key], operation: operation, page)
    }

    /// Follows a connection page by page until `hasNextPage` is false: `operation(cursor)` asks for
    /// a page, `path` finds the connection in the answer's data. Every page goes through a
    /// ``PageTrail`` named `what`, so a cursor that leads back stops the read.
    func followConnection(_ what: String, from cursor: String? = nil, at path: [String], operation: (String?) -> GraphQLOperation,
                          _ page: ([JSONValue]) async throws -> Void) async throws {
        var trail = PageTrail(store: store, what: what, startedAt: clock.nowMilliseconds())
        var cursor = cursor
        while true {
            let op = operation(cursor)
            let data = try await client.execute(op)
            guard let connection = path.reduce(Optional(data), { $0?[$1] }), let nodes = connection["nodes"]?.array else {
                throw missing(path.joined(separator: "."), in: op.name)
            }
            try trail.read(page: connection.jsonData, now: clock.nowMilliseconds())
            try await page(nodes)
            guard connection["pageInfo"]?["hasNextPage"]?.bool == true, let next = connection["pageInfo"]?["endCursor"]?.string else { return }
            cursor = next
        }
    }

    /// The nodes of a nested connection beyond the page `connection` holds (none when it is
    /// complete), read through `operation` from its end cursor.
    func remainingNodes(of connection: JSONValue?, _ what: String, at path: [String], operation: @escaping (String) -> GraphQLOperation) async throws -> [JSONValue] {
        guard connection?["pageInfo"]?["hasNextPage"]?.bool == true, let cursor = connection?["pageInfo"]?["endCursor"]?.string else { return [] }
        var more: [JSONValue] = []
        try await followConnection(what, from: cursor, at: path, operation: { operation($0 ?? cursor) }) { more += $0 }
        return more
    }

    /// The product node with its variant connection completed: the node as it should be kept (its
    /// `variants.nodes` holding every variant) and the variants read beyond its first page.
    func withRemainingVariants(_ node: JSONValue) async throws -> (JSONValue, [JSONValue]) {
        let variants = node["variants"]
        guard let gid = node["id"]?.string, let productID = ShopifyGlobalID.numeric(gid, type: "Product") else { return (node, []) }
        let more = try await remainingNodes(of: variants, "variants of product \(productID)", at: ["product", "variants"]) {
            ShopifyGraphQLDocuments.productVariants(productID: productID, after: $0)
        }
        guard !more.isEmpty else { return (node, []) }
        var complete = node.object ?? [:]
        complete["variants"] = ["nodes": .array((variants?["nodes"]?.array ?? []) + more)]
        return (.object(complete), more)
    }

    // MARK: One record

    /// The customer with this numeric id; `notFound` when the shop has none.
    package func contact(id: String) async throws -> StoreRead<ContactRecord> {
        let op = ShopifyGraphQLDocuments.customer(id: id)
        guard let node = try await client.execute(op)["customer"], !node.isNull else { throw notFound("customer", id, op) }
        return StoreRead(record: try ShopifyGraphQLRecords.contact(node: node), payload: node.jsonText)
    }

    /// Every variant of the product with this numeric id; `notFound` when the shop has none.
    package func product(id: String) async throws -> StoreProductRead {
        let op = ShopifyGraphQLDocuments.product(id: id)
        guard let node = try await client.execute(op)["product"], !node.isNull else { throw notFound("product", id, op) }
        let (complete, more) = try await withRemainingVariants(node)
        return StoreProductRead(records: try ShopifyGraphQLRecords.productRecords(node: node, moreVariants: more), payload: complete.jsonText, trashed: false)
    }

    // MARK: Errors

    func missing(_ key: String, in operation: String) -> StorePageError {
        StorePageError(code: .notAList, message: "store \(store) answered \(operation) without \"\(key)\" in its data; check the API version (\(client.version)) and the shop domain")
    }

    func notFound(_ what: String, _ id: String, _ op: GraphQLOperation) -> StoreAPIError {
        StoreAPIError(code: .notFound, storeMessage: nil, storeErrorCode: nil, method: .post, path: client.path,
                      message: "Shopify has no \(what) \(id) (\(op.name) answered null)")
    }
}
