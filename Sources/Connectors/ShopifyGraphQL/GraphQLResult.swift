import Foundation
import SyncCore

/// One answer of Shopify's GraphQL Admin API: its `data`, its top-level `errors` and the query cost
/// Shopify reports in `extensions.cost`.
///
/// Shopify answers HTTP 200 to a query it could not run: a throttled request carries
/// `errors: [{message: "Throttled", extensions: {code: "THROTTLED"}}]`, a malformed one the parser's
/// messages. Mutation refusals are not here but in each payload's `userErrors`.
/// (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits)
public struct GraphQLResult: Sendable, Hashable {
    /// One entry of `errors`.
    public struct Failure: Sendable, Hashable {
        public var message: String
        /// `extensions.code` (`THROTTLED`, `ACCESS_DENIED`, `MAX_COST_EXCEEDED`, …).
        public var code: String?
        /// Where in the answer it happened (`path`), joined by dots.
        public var path: String?
    }

    public var data: JSONValue?
    public var errors: [Failure]
    public var cost: QueryCost?

    /// Whether Shopify refused the request for its cost: it was not run and may be sent again once
    /// the bucket has refilled.
    public var isThrottled: Bool { errors.contains { $0.code == "THROTTLED" } }

    /// Parses a response body; a body that is not a GraphQL answer throws ``StoreAPIError`` (malformed).
    public static func parse(_ body: Data, path: String) throws -> GraphQLResult {
        guard let object = try? JSONValue.parse(body).object, object["data"] != nil || object["errors"] != nil else {
            throw StoreAPIError(code: .malformedResponse, method: .post, path: path,
                                message: "the answer is not a GraphQL response (no data and no errors); check the store URL and api_version")
        }
        let errors = (object["errors"]?.array ?? []).map { error in
            Failure(message: error["message"]?.string ?? "unknown error", code: error["extensions"]?["code"]?.string,
                    path: error["path"]?.array.map { $0.map { $0.string ?? $0.int.map(String.init) ?? "?" }.joined(separator: ".") })
        }
        return GraphQLResult(data: object["data"].flatMap { $0.isNull ? nil : $0 }, errors: errors,
                             cost: object["extensions"]?["cost"].flatMap(QueryCost.init(json:)))
    }
}

/// `extensions.cost`: what a query was estimated to cost, what it cost, and the bucket after it.
public struct QueryCost: Sendable, Hashable {
    public var requested: Double
    public var actual: Double?
    public var maximumAvailable: Double
    public var currentlyAvailable: Double
    /// Points per second the bucket refills (100 Standard, 200 Advanced, 1,000 Plus, 2,000 Enterprise).
    public var restoreRate: Double

    public init(requested: Double, actual: Double?, maximumAvailable: Double, currentlyAvailable: Double, restoreRate: Double) {
        self.requested = requested
        self.actual = actual
        self.maximumAvailable = maximumAvailable
        self.currentlyAvailable = currentlyAvailable
        self.restoreRate = restoreRate
    }

    init?(json: JSONValue) {
        let status = json["throttleStatus"]
        guard let requested = Self.number(json["requestedQueryCost"]), let maximum = Self.number(status?["maximumAvailable"]),
              let available = Self.number(status?["currentlyAvailable"]), let rate = Self.number(status?["restoreRate"]), rate > 0
        else { return nil }
        self.init(requested: requested, actual: Self.number(json["actualQueryCost"]), maximumAvailable: maximum,
                  currentlyAvailable: available, restoreRate: rate)
    }

    static func number(_ value: JSONValue?) -> Double? {
        if case .number(let text)? = value { return Double(text) }
        return nil
    }
}
