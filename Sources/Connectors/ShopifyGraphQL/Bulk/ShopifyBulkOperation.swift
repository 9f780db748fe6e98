import SyncCore

/// A bulk query operation as Shopify reports it (`BulkOperation`): the export of a whole resource
/// that Shopify runs server-side and writes to a JSONL file at ``url``.
package struct ShopifyBulkOperation: Sendable, Hashable {
    /// `BulkOperationStatus`.
    package enum Status: String, Sendable, Hashable {
        case created = "CREATED", running = "RUNNING", completed = "COMPLETED", failed = "FAILED"
        case canceling = "CANCELING", canceled = "CANCELED", expired = "EXPIRED"

        /// Whether the operation may still complete.
        package var isUnderWay: Bool { self == .created || self == .running }
    }

    /// The global id (`gid://shopify/BulkOperation/1`).
    package var id: String
    package var status: Status
    /// `ACCESS_DENIED`, `INTERNAL_SERVER_ERROR` or `TIMEOUT` for a failed operation.
    package var errorCode: String?
    /// The result file; nil until completed, when nothing matched, and once expired.
    package var url: String?
    /// Objects written so far, children included (`UnsignedInt64`, which Shopify sends as a string).
    package var objectCount: Int?
    /// Top-level objects written so far.
    package var rootObjectCount: Int?
    /// The query the operation runs, as Shopify keeps it.
    package var query: String?
    /// When Shopify created it (store time): the moment the export shows the shop as it was.
    package var createdAt: Int64?

    package init(id: String, status: Status, errorCode: String? = nil, url: String? = nil, objectCount: Int? = nil,
                 rootObjectCount: Int? = nil, query: String? = nil, createdAt: Int64? = nil) {
        self.id = id
        self.status = status
        self.errorCode = errorCode
        self.url = url
        self.objectCount = objectCount
        self.rootObjectCount = rootObjectCount
        self.query = query
        self.createdAt = createdAt
    }

    /// Reads a `BulkOperation` node; nil when it lacks an id or a status this client knows.
    package init?(node: JSONValue?) {
        guard let node, let id = node["id"]?.string, let status = node["status"]?.string.flatMap(Status.init(rawValue:)) else { return nil }
        func count(_ key: String) -> Int? { node[key]?.string.flatMap { Int($0) } ?? node[key]?.int }
        self.init(id: id, status: status, errorCode: node["errorCode"]?.string, url: node["url"]?.string,
                  objectCount: count("objectCount"), rootObjectCount: count("rootObjectCount"), query: node["query"]?.string,
                  createdAt: node["createdAt"]?.string.flatMap(ISO8601Time.parse))
    }
}

/// The GraphQL documents of bulk reads.
package enum ShopifyBulkDocuments {
    static let operationFields = "id status errorCode createdAt objectCount rootObjectCount url query"

    /// `bulkOperationRunQuery` of `query`, ungrouped (children joined by `__parentId` on our side:
    /// grouping makes Shopify's export slower and likelier to time out).
    ///
    /// Safe to send again after an answer that was lost: the repeat either meets "already in
    /// progress" (and ``ShopifyGraphQLReader`` takes over the running export of the same query) or
    /// starts a second export of the same query, as good as the first, which runs out on its own.
    package static func run(_ query: String) -> GraphQLOperation {
        GraphQLOperation(name: "BulkOperationRunQuery", query: """
            mutation BulkOperationRunQuery($query: String!) {
              bulkOperationRunQuery(query: $query, groupObjects: false) {
                bulkOperation { \(operationFields) }
                userErrors { field message code }
              }
            }
            """, variables: ["query": .string(query)], repeatsSafely: true)
    }

    /// `bulkOperation(id:)`.
    package static func operation(id: String) -> GraphQLOperation {
        GraphQLOperation(name: "BulkOperation", query: """
            query BulkOperation($id: ID!) { bulkOperation(id: $id) { \(operationFields) } }
            """, variables: ["id": .string(id)])
    }

    /// `currentBulkOperation(type: QUERY)`: the app's latest bulk query on this shop.
    package static let current = GraphQLOperation(name: "CurrentBulkOperation", query: """
        query CurrentBulkOperation { currentBulkOperation(type: QUERY) { \(operationFields) } }
        """)

    /// Every customer, with the fields a paged read selects.
    package static let customers = """
        { customers { edges { node { \(ShopifyGraphQLDocuments.customerFields) } } } }
        """

    /// Every product with every variant (each variant its own line under its product's id).
    package static let products = """
        { products { edges { node { \(ShopifyGraphQLDocuments.productFields) variants { edges { node { \(ShopifyGraphQLDocuments.variantFields) } } } } } } }
        """
}
