import Foundation
import SyncCore

/// One GraphQL operation: its document, its variables and the name that keys its cost estimate.
public struct GraphQLOperation: Sendable, Hashable {
    /// The operation's name in `query` (`query Customers(…)`), sent as `operationName`.
    public var name: String
    public var query: String
    public var variables: [String: JSONValue]
    /// Whether sending it again after an answer that was lost is safe: every query, and a mutation
    /// that sets values (an update) or carries an idempotency key. A create, a cancel or a fulfil is
    /// not: unanswered, it is in doubt and looked up instead of being sent again.
    public var repeatsSafely: Bool

    public init(name: String, query: String, variables: [String: JSONValue] = [:], repeatsSafely: Bool? = nil) {
        self.name = name
        self.query = query
        self.variables = variables
        self.repeatsSafely = repeatsSafely ?? !query.drop { $0.isWhitespace }.hasPrefix("mutation")
    }

    /// Whether the document is a mutation (it starts with `mutation`): one that may change the shop.
    public var isMutation: Bool {
        query.drop { $0.isWhitespace }.hasPrefix("mutation")
    }

    /// The request body Shopify expects: `{"query", "operationName", "variables"}`.
    public var body: JSONValue {
        ["query": .string(query), "operationName": .string(name), "variables": .object(variables)]
    }
}

/// Sends GraphQL operations to one shop's Admin API, paced by query cost.
///
/// `transport` signs and retries (a ``StoreClient`` with the shop's credentials and no REST pacer);
/// this client adds what is GraphQL's own: the cost pacing of ``ShopifyQueryCostPacer``, THROTTLED
/// answers waited out and sent again (not failures — a throttled query was not run), and top-level
/// `errors` turned into a ``StoreAPIError`` that says what Shopify said.
///
/// ```swift
/// let graphql = ShopifyGraphQLClient(transport: client, version: "2026-10", clock: clock)
/// let data = try await graphql.execute(GraphQLOperation(name: "Shop", query: "query Shop { shop { currencyCode } }"))
/// data["shop"]?["currencyCode"]   // "MXN"
/// ```
public struct ShopifyGraphQLClient: Sendable {
    /// THROTTLED answers in a row after which the request fails as rate limited.
    public static let maxThrottledInARow = 20

    public let transport: any StoreTransport
    public let version: String
    public let pacer: ShopifyQueryCostPacer
    let clock: any WallClock
    let sleeper: any StoreSleeper

    public init(transport: any StoreTransport, version: String, pacer: ShopifyQueryCostPacer = ShopifyQueryCostPacer(),
                clock: any WallClock, sleeper: any StoreSleeper = TaskSleeper()) {
        self.transport = transport
        self.version = version
        self.pacer = pacer
        self.clock = clock
        self.sleeper = sleeper
    }

    /// `/admin/api/{version}/graphql.json`.
    public var path: String { "/admin/api/\(version)/graphql.json" }

    /// Runs `operation` and returns its `data`; errors in the answer throw (see the type's summary).
    public func execute(_ operation: GraphQLOperation) async throws -> JSONValue {
        var request = StoreRequest(method: .post, path: path, body: operation.body.jsonData)
        request.headers["Content-Type"] = "application/json"
        request.headers["Accept"] = "application/json"
        // A query writes nothing, an update sets the same values again: retried like a GET (a PUT).
        request.repeatsSafely = operation.repeatsSafely
        var throttledInARow = 0
        while true {
            let reserved = try await waitForBudget(operation.name)
            let result: GraphQLResult
            do {
                result = try GraphQLResult.parse(try await transport.send(request).body, path: path)
            } catch {
                await pacer.abandon(reserved: reserved)
                throw error
            }
            await pacer.complete(operation.name, reserved: reserved, cost: result.cost, throttled: result.isThrottled, now: clock.nowMilliseconds())
            guard result.isThrottled else { return try data(of: result, operation: operation) }
            throttledInARow += 1
            guard throttledInARow < Self.maxThrottledInARow else {
                throw StoreAPIError(code: .rateLimited, storeMessage: "Throttled", storeErrorCode: "THROTTLED", method: .post, path: path,
                                    message: "Shopify throttled \(operation.name) \(throttledInARow) times in a row; another app may be spending this shop's query budget")
            }
        }
    }

    /// Waits until the pacer admits `operation`; returns the points reserved for it.
    private func waitForBudget(_ operation: String) async throws -> Double {
        while true {
            switch await pacer.reserve(operation, now: clock.nowMilliseconds()) {
            case .send(let reserved):
                return reserved
            case .wait(let milliseconds):
                await pacer.waited(milliseconds)
                try await sleeper.sleep(milliseconds: milliseconds)
            }
        }
    }

    private func data(of result: GraphQLResult, operation: GraphQLOperation) throws -> JSONValue {
        if let failure = result.errors.first {
            let code: StoreAPIError.Code = failure.code == "ACCESS_DENIED" ? .forbidden : .clientError
            let said = result.errors.map { $0.path.map { p in "\(p): " } ?? "" }.enumerated()
                .map { "\($0.element)\(result.errors[$0.offset].message)" }.joined(separator: "; ")
            throw StoreAPIError(code: code, storeMessage: said, storeErrorCode: failure.code, method: .post, path: path,
                                message: "Shopify refused \(operation.name): \(said)")
        }
        guard let data = result.data else {
            throw StoreAPIError(code: .malformedResponse, method: .post, path: path, message: "Shopify answered \(operation.name) with no data and no errors")
        }
        return data
    }
}

/// Which Shopify Admin API a store is reached through (configuration key `api`).
public enum ShopifyAPIChoice: String, Sendable, Hashable {
    /// REST, for legacy custom apps (static access token); Shopify calls it legacy since 2024-10.
    case rest
    /// GraphQL, for apps made in the Dev Dashboard (``ShopifyGraphQLPlatform``).
    case graphQL = "graphql"
}

/// What a store reached through GraphQL keeps between passes: its API version and its query-cost
/// pacer (what it learned of each operation's cost and of the shop's bucket).
public struct ShopifyGraphQLEndpoint: Sendable {
    public var version: String
    public var pacer: ShopifyQueryCostPacer
    /// How the pacer waits: real time, or a test's manual clock.
    public var sleeper: any StoreSleeper
    /// Whether complete scans of customers and products read a bulk export (the default) rather
    /// than pages; paged connections reach at most 25,000 objects.
    public var bulkReads = true
    /// What fetches a bulk export's result: URLSession, or an in-process emulator's handler.
    package var bulkDownloader: any BulkResultDownloader = URLSessionBulkDownloader()
    /// Where bulk results are written while they are read.
    public var bulkDirectory = FileManager.default.temporaryDirectory
    /// The shop's primary location, kept between passes.
    package let locations = ShopifyLocationCache()

    public init(version: String, pacer: ShopifyQueryCostPacer = ShopifyQueryCostPacer(), sleeper: any StoreSleeper = TaskSleeper()) {
        self.version = version
        self.pacer = pacer
        self.sleeper = sleeper
    }
}
