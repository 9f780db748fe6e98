internal import GraphQL
import SyncCore

/// `bulkOperationRunQuery` and `bulkOperationCancel`.
extension ShopifyGraphQLMutations {
    /// `bulkOperationRunQuery(query:groupObjects:)` → `{ bulkOperation userErrors }`. The query must
    /// be valid against the schema and follow the bulk rules (``ShopifyBulkQueryShape``); the shop
    /// runs as many at once as the API version allows.
    func bulkOperationRunQuery(_ args: Map) -> ShopifyGraphQLObject {
        let query = args["query"].string ?? ""
        if let problem = Self.bulkQueryProblem(query) {
            return bulkPayload(nil, errors: [ShopifyUserError(["query"], problem, code: "INVALID")])
        }
        let underWay = shop.bulkExportsUnderWay
        let limit = ShopifyShop.concurrentBulkLimit(apiVersion: apiVersion)
        if underWay.count >= limit {
            let ids = underWay.map { ShopifyGlobalID.make("BulkOperation", $0.id) }.joined(separator: ", ")
            let message = limit == 1
                ? "A bulk query operation for this app and shop is already in progress: \(ids)."
                : "Bulk operations limit reached: \(limit) bulk query operations for this app and shop are already in progress (\(ids))."
            return bulkPayload(nil, errors: [ShopifyUserError(nil, message, code: limit == 1 ? "OPERATION_IN_PROGRESS" : "LIMIT_REACHED")])
        }
        let export = shop.startBulkExport(query: query, resultBase: bulkResultBase)
        return bulkPayload(export, errors: [])
    }

    /// `bulkOperationCancel(id:)` → `{ bulkOperation userErrors }`: an operation under way becomes
    /// `CANCELING` (then `CANCELED`); one that has ended cannot be cancelled.
    func bulkOperationCancel(_ args: Map) -> ShopifyGraphQLObject {
        guard let id = ShopifyGlobalID.parse(args["id"].string, type: "BulkOperation"), var export = shop.bulkExports[id] else {
            return bulkPayload(nil, errors: [ShopifyUserError(["id"], "Bulk operation does not exist")])
        }
        guard export.status == .created || export.status == .running else {
            let said = "A bulk operation cannot be canceled when it is \(export.status.rawValue.lowercased())"
            return bulkPayload(export, errors: [ShopifyUserError(nil, said)])
        }
        export.status = .canceling
        shop.bulkExports[id] = export
        return bulkPayload(export, errors: [])
    }

    /// Why `query` cannot run in bulk (syntax, schema or the bulk rules), or `nil`.
    static func bulkQueryProblem(_ query: String) -> String? {
        let document: Document
        do {
            document = try parse(source: Source(body: query, name: "bulk query"))
        } catch let error as GraphQLError {
            return "Invalid bulk query: \(error.message)"
        } catch {
            return "Invalid bulk query: \(error)"
        }
        let invalid = validate(schema: ShopifyGraphQLSchema.schema, ast: document)
        if let first = invalid.first { return "Invalid bulk query: \(first.message)" }
        return ShopifyBulkQueryShape(document: document, schema: ShopifyGraphQLSchema.schema).problem()
    }

    private func bulkPayload(_ export: ShopifyBulkExport?, errors: [ShopifyUserError]) -> ShopifyGraphQLObject {
        let view = self.view
        return .values([
            "bulkOperation": export.map { $0.object(render: view.time) },
            "userErrors": errors.map { $0.object as (any Sendable)? },
        ])
    }
}
