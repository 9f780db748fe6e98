import Foundation
internal import GraphQL
import SyncCore

/// `POST /admin/api/{version}/graphql.json`: parse, validate, cost, throttle, execute, answer.
extension ShopifyShop {
    /// Answers one GraphQL request over this shop's state, as Shopify does (HTTP 200 with
    /// `errors` for syntax, validation, cost and throttling; `extensions.cost` on every answer),
    /// and whether it ran a mutation (the "applied, then failed" fault strikes only those: a
    /// query, although a POST, writes nothing).
    mutating func handleGraphQL(_ request: StoreRequest) -> (StoreResponse, mutated: Bool) {
        var mutated = false
        let answer = answerGraphQL(request, mutated: &mutated)
        return (answer, mutated)
    }

    private mutating func answerGraphQL(_ request: StoreRequest, mutated: inout Bool) -> StoreResponse {
        guard let body = try? JSONValue.parse(request.body), let query = body["query"]?.string else {
            return .json(400, ["errors": "query: Required parameter missing or invalid"])
        }
        let variables = (body["variables"]?.object ?? [:]).mapValues(Self.map)
        let operationName = body["operationName"]?.string
        let schema = ShopifyGraphQLSchema.schema
        let document: Document
        do {
            document = try parse(source: Source(body: query, name: "GraphQL request"))
        } catch let error as GraphQLError {
            return graphQLAnswer(errors: [error], requested: 0, actual: 0)
        } catch {
            return graphQLAnswer(errors: [GraphQLError(message: "\(error)")], requested: 0, actual: 0)
        }
        let invalid = validate(schema: schema, ast: document)
        guard invalid.isEmpty else { return graphQLAnswer(errors: invalid, requested: 0, actual: 0) }
        let cost = ShopifyQueryCost(document: document, operationName: operationName, variables: variables)
        let requested = cost.requested(schema: schema)
        guard requested <= ShopifyQueryCost.singleQueryMaximum else {
            let message = "Query cost is \(requested), which exceeds the single query max cost limit (\(ShopifyQueryCost.singleQueryMaximum))."
            let error = GraphQLError(message: message, extensions: ["code": "MAX_COST_EXCEEDED", "cost": .number(Number(requested)),
                                                                      "maxCost": .number(Number(ShopifyQueryCost.singleQueryMaximum))])
            return graphQLAnswer(errors: [error], requested: requested, actual: nil)
        }
        costBucket.restore(to: nowPrecise)
        if configuration.graphQLRateLimitEnabled, !costBucket.take(requested) {
            rateLimitedCount += 1
            return graphQLAnswer(errors: [GraphQLError(message: "Throttled", extensions: ["code": "THROTTLED"])], requested: requested, actual: nil)
        }
        // A query reads a value snapshot; a mutation changes a boxed copy that is written back after.
        let mutations = cost.isMutation ? ShopifyGraphQLMutations(shop: self, apiVersion: Self.apiVersion(of: request.path)) : nil
        mutations?.bulkResultBase = bulkResultBase(request)
        // Reading a bulk operation's status is what moves it on (see ShopifyBulkExport).
        if !cost.isMutation, cost.rootFields.contains(where: { $0 == "bulkOperation" || $0 == "currentBulkOperation" }) {
            readBulkStatuses()
        }
        let root: any Sendable = mutations ?? ShopifyGraphQLRoot(shop: self).query
        let sendable = UncheckedDocument(document: document)
        let result = BlockingTaskRunner.shared.run {
            do {
                return try await execute(schema: schema, documentAST: sendable.document, rootValue: root, context: (),
                                         variableValues: variables, operationName: operationName)
            } catch {
                return GraphQLResult(errors: [GraphQLError(message: "\(error)")])
            }
        }
        if let mutations {
            self = mutations.shop
            mutated = true
            runPendingBulkExports()
        }
        let actual = result.data.map { cost.actual(schema: schema, data: $0) } ?? 0
        if configuration.graphQLRateLimitEnabled { costBucket.refund(requested - actual) }
        return graphQLAnswer(data: result.data, errors: result.errors, requested: requested, actual: actual)
    }

    /// The version segment of `/admin/api/{version}/graphql.json`.
    static func apiVersion(of path: String) -> String {
        let segments = path.split(separator: "/")
        return segments.count > 2 ? String(segments[2]) : "unstable"
    }

    /// The JSON answer with `extensions.cost`; `actual` is `null` when nothing ran.
    private func graphQLAnswer(data: Map? = nil, errors: [GraphQLError], requested: Int, actual: Int?) -> StoreResponse {
        var out: [String: JSONValue] = [:]
        if let data { out["data"] = Self.json(data) }
        if !errors.isEmpty {
            let encoded = (try? JSONEncoder().encode(errors)).flatMap { try? JSONValue.parse($0) }
            out["errors"] = encoded ?? .array(errors.map { ["message": .string($0.message)] })
        }
        let status: JSONValue = [
            "maximumAvailable": .integer(costBucket.maximumAvailable),
            "currentlyAvailable": .integer(costBucket.currentlyAvailable),
            "restoreRate": .integer(costBucket.restoreRate),
        ]
        out["extensions"] = ["cost": ["requestedQueryCost": .integer(requested), "actualQueryCost": actual.map { .integer($0) } ?? .null,
                                      "throttleStatus": status]]
        return .json(200, .object(out))
    }

    /// A JSON variable as the executor's `Map`.
    static func map(_ v: JSONValue) -> Map {
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return Int(n).map { .number(Number($0)) } ?? .number(Number(Double(n) ?? 0))
        case .string(let s): return .string(s)
        case .array(let a): return .array(a.map(map))
        case .object(let o): return .dictionary(.init(uniqueKeysWithValues: o.map { ($0.key, map($0.value)) }))
        }
    }

    /// The executor's `Map` as JSON (whole numbers stay integers).
    static func json(_ m: Map) -> JSONValue {
        switch m {
        case .undefined, .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n):
            if n.storageType == .double {
                let d = n.doubleValue
                return d == d.rounded() && abs(d) < 1e15 ? .number(String(Int(d))) : .number(String(d))
            }
            return .integer(n.intValue)
        case .string(let s): return .string(s)
        case .array(let a): return .array(a.map(json))
        case .dictionary(let d): return .object(Dictionary(uniqueKeysWithValues: d.map { ($0.key, json($0.value)) }))
        }
    }
}

/// The parsed query handed to the executor's task. `Document` is an immutable syntax tree that
/// GraphQLSwift does not mark `Sendable`; it is built here, never mutated, and read only by that task.
struct UncheckedDocument: @unchecked Sendable {
    let document: Document
}
