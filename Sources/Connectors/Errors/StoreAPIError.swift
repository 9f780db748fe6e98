import Foundation
import SyncCore

/// A failed store call, typed so callers can decide between retrying, holding the record, or fixing setup.
///
/// Every error names the request (method and path only — never credentials, never the query string,
/// which may carry `consumer_secret` or an OAuth signature) and, when the store answered, its status and
/// its own message, parsed from Shopify's `{"errors": ...}` or WooCommerce's `{"code", "message"}`.
///
/// ```swift
/// do { _ = try await client.send(request) }
/// catch let error as StoreAPIError where error.code == .validation {
///     problems.hold(reason: error.storeMessage ?? error.message)
/// }
/// ```
public struct StoreAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// 401: wrong or missing credentials (or a bad OAuth signature, timestamp or nonce).
        case unauthorized
        /// 403: the credentials lack a permission or scope.
        case forbidden
        /// 404: the resource or route does not exist.
        case notFound
        /// 400 or 422: the store refused the data; permanent until the data changes.
        case validation
        /// 409 or another 4xx not listed here.
        case clientError
        /// 429: over the store's rate limit.
        case rateLimited
        /// 5xx: the store failed.
        case server
        /// No answer within the timeout.
        case timeout
        /// The connection failed (refused, reset, DNS, TLS).
        case transport
        /// A 2xx answer whose body could not be read as expected.
        case malformedResponse
        /// The request could not be built (bad origin or target).
        case invalidRequest
    }

    public var code: Code
    /// The HTTP status, when the store answered.
    public var status: Int?
    /// The store's own message (`"Consumer secret is invalid."`, `"email: has already been taken"`).
    public var storeMessage: String?
    /// WooCommerce's machine code (`woocommerce_rest_authentication_error`), when present.
    public var storeErrorCode: String?
    /// Shopify's field errors (`["email": ["has already been taken"]]`), when present.
    public var fieldErrors: [String: [String]]
    /// The request method.
    public var method: StoreRequest.Method
    /// The request path, without the query string.
    public var path: String
    /// The delay the store asked for with `Retry-After`, in milliseconds, when present.
    public var retryAfterMilliseconds: Int64?
    /// What is wrong and what to do, for people.
    public var message: String

    public init(
        code: Code, status: Int? = nil, storeMessage: String? = nil, storeErrorCode: String? = nil,
        fieldErrors: [String: [String]] = [:], method: StoreRequest.Method, path: String,
        retryAfterMilliseconds: Int64? = nil, message: String
    ) {
        self.code = code
        self.status = status
        self.storeMessage = storeMessage
        self.storeErrorCode = storeErrorCode
        self.fieldErrors = fieldErrors
        self.method = method
        self.path = path
        self.retryAfterMilliseconds = retryAfterMilliseconds
        self.message = message
    }

    /// Whether trying the same request again later may succeed (429, 5xx, timeouts, connection failures).
    public var isRetryable: Bool {
        switch code {
        case .rateLimited, .server, .timeout, .transport: return true
        default: return false
        }
    }

    public var description: String {
        var s = "\(code.rawValue)"
        if let status { s += " (HTTP \(status))" }
        s += " on \(method.rawValue) \(path): \(message)"
        return s
    }

    /// The error for a non-2xx response: classifies the status and parses the store's message.
    ///
    /// `nowMilliseconds` resolves a `Retry-After` given as an HTTP date.
    public static func from(response: StoreResponse, method: StoreRequest.Method, path: String, nowMilliseconds: Int64) -> StoreAPIError {
        let parsed = StoreErrorBody.parse(response.body)
        let code: Code
        switch response.status {
        case 401: code = .unauthorized
        case 403: code = .forbidden
        case 404: code = .notFound
        case 400, 422: code = .validation
        case 429: code = .rateLimited
        case 500...599: code = .server
        default: code = .clientError
        }
        let retryAfter = response.headers["Retry-After"].flatMap { RetryAfter.milliseconds($0, nowMilliseconds: nowMilliseconds) }
        let advice: String
        switch code {
        case .unauthorized: advice = "check the store credentials (and, for WooCommerce OAuth, the clock)"
        case .forbidden: advice = "grant the missing permission to the store app or API key"
        case .notFound: advice = "the resource no longer exists in the store or the route is wrong"
        case .validation: advice = "fix the data the store refused; retrying unchanged will fail again"
        case .rateLimited: advice = "slow down; the request may be retried later"
        case .server: advice = "the store failed; the request may be retried later"
        default: advice = "the store refused the request"
        }
        var text = "store answered \(response.status)"
        if let m = parsed.message { text += ": \(m)" }
        text += " — \(advice)"
        return StoreAPIError(
            code: code, status: response.status, storeMessage: parsed.message, storeErrorCode: parsed.code,
            fieldErrors: parsed.fieldErrors, method: method, path: path, retryAfterMilliseconds: retryAfter,
            message: text)
    }
}
