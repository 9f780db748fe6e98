import Foundation
import SyncCore

extension ShopifyGraphQLReader {
    // MARK: Orders

    /// Reads every order, any status, page by page; an order with more lines than its page holds
    /// reads the rest through its own line connection first.
    package func readOrders(_ body: (StorePage<OrderRecord>) async throws -> Void) async throws {
        try await readConnection("orders", operation: { ShopifyGraphQLDocuments.orders(after: $0) }) { nodes in
            var items: [StoreItem<OrderRecord>] = []
            for node in nodes {
                let more = try await remainingLines(node)
                items.append(StoreItem(json: node, record: Result { try ShopifyGraphQLRecords.order(node: node, moreLines: more) }))
            }
            try await body(StorePage(items: items, total: nil))
        }
    }

    /// The lines of an order node beyond its first page.
    func remainingLines(_ node: JSONValue) async throws -> [JSONValue] {
        guard let gid = node["id"]?.string, let orderID = ShopifyGlobalID.numeric(gid, type: "Order") else { return [] }
        return try await remainingNodes(of: node["lineItems"], "lines of order \(orderID)", at: ["order", "lineItems"]) {
            ShopifyGraphQLDocuments.orderLines(orderID: orderID, after: $0)
        }
    }

    /// The tax percentages on the latest 100 orders (newest first), and how many orders were read.
    package func latestOrderTaxPercents() async throws -> (percents: [ExactDecimal], orders: Int) {
        let op = GraphQLOperation(name: "LatestOrderTaxes", query: """
            query LatestOrderTaxes { orders(first: 100, reverse: true) { nodes { taxLines { rate } } } }
            """)
        guard let nodes = try await client.execute(op)["orders"]?["nodes"]?.array else { throw missing("orders", in: op.name) }
        let percents = nodes.flatMap { $0["taxLines"]?.array ?? [] }.compactMap { $0["rate"]?.decimal }.map { $0 * 100 }
        return (percents, nodes.count)
    }

    // MARK: Searches

    /// Customers whose e-mail is `email` (normalized first), as Shopify's search finds them.
    package func contacts(matchingEmail email: String) async throws -> [ContactRecord] {
        let normalized = ContactRecord.normalizedEmail(email) ?? email
        let op = ShopifyGraphQLDocuments.customers(after: nil, query: "email:\(Self.quoted(normalized))")
        guard let nodes = try await client.execute(op)["customers"]?["nodes"]?.array else { throw missing("customers", in: op.name) }
        return try nodes.map(ShopifyGraphQLRecords.contact(node:))
    }

    /// The sellable records of products that have a variant with SKU `sku`. A product that cannot
    /// be read (no variants) has no SKU to match and is skipped.
    package func products(matchingSKU sku: String) async throws -> [ProductRecord] {
        let op = ShopifyGraphQLDocuments.products(after: nil, query: "sku:\(Self.quoted(sku))")
        guard let nodes = try await client.execute(op)["products"]?["nodes"]?.array else { throw missing("products", in: op.name) }
        var out: [ProductRecord] = []
        for node in nodes {
            let (_, more) = try await withRemainingVariants(node)
            out += (try? ShopifyGraphQLRecords.productRecords(node: node, moreVariants: more)) ?? []
        }
        return out
    }

    /// A search value in single quotes, backslash-escaped, as Shopify's search syntax takes it.
    static func quoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
