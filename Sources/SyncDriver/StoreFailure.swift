import Connectors
import SyncCore

/// A store that could not be synced in a pass: which store, at which step, and why.
///
/// One store that cannot be reached, or refuses the credentials, must not stop the others: the pass
/// records the failure here and goes on without that store. Its remaining pulls and pushes are simply
/// not done this pass — what the engine already ingested from it stays, its outbox entries and dirty
/// entities wait for the next pass — so nothing is lost and nothing is done twice.
public struct StoreFailure: Sendable, Hashable, CustomStringConvertible {
    /// The step of the pass that failed; everything after it is skipped for this store.
    public enum Step: String, Sendable, Hashable, CaseIterable {
        /// Building the store's client from the configuration (its credential variables).
        case configuring
        /// Reading the store's currency before it is pulled (the first request of a pass).
        case currencyCheck = "currency_check"
        case pullingContacts = "pulling_contacts"
        case pullingProducts = "pulling_products"
        case pullingOrders = "pulling_orders"

        /// The step in words, for messages ("while pulling products").
        public var phrase: String {
            switch self {
            case .configuring: "reading its credentials from the environment"
            case .currencyCheck: "reading its currency"
            case .pullingContacts: "pulling customers"
            case .pullingProducts: "pulling products"
            case .pullingOrders: "pulling orders"
            }
        }
    }

    /// What kind of failure it is, so callers can say what to do.
    public enum Kind: String, Sendable, Hashable {
        /// A credential variable the configuration names is not set: no request was sent.
        case credentialsMissing = "credentials_missing"
        /// No connection, or no answer within the timeout: the URL is wrong or the store is down.
        case unreachable
        /// HTTP 401: the store refused the credentials.
        case unauthorized
        /// HTTP 403: the credentials lack a permission.
        case forbidden
        /// HTTP 404 on a route every store has: the URL (or API version) does not point at the store's API.
        case notFound = "not_found"
        /// HTTP 429 or 5xx after the connector's retries: the store is overloaded or failing.
        case storeFailing = "store_failing"
        /// An answer that is not what the store's API sends (not JSON, missing lists).
        case unexpectedResponse = "unexpected_response"
        /// Any other refusal.
        case refused
    }

    public var store: String
    public var step: Step
    public var kind: Kind
    /// The HTTP status, when the store answered.
    public var status: Int?
    /// The error as the connector reported it (method, path, status, the store's message; never a secret).
    public var message: String

    public init(store: String, step: Step, kind: Kind, status: Int? = nil, message: String) {
        self.store = store
        self.step = step
        self.kind = kind
        self.status = status
        self.message = message
    }

    public var description: String { "store \(store) failed while \(step.phrase): \(message)" }

    /// The failure `error` means for a store, or nil when the error is not the store's doing (an
    /// engine or Oorden error stops the whole pass: it would fail for every store alike).
    public init?(store: String, step: Step, error: any Error) {
        switch error {
        case let e as StoreAPIError:
            self.init(store: store, step: step, kind: Self.kind(of: e), status: e.status, message: e.description)
        case let e as StorePageError:
            self.init(store: store, step: step, kind: .unexpectedResponse, message: e.message)
        case let e as ConfigurationError:
            self.init(store: store, step: step, kind: .credentialsMissing, message: e.description)
        case let e as RecordDecodingError:
            self.init(store: store, step: step, kind: .unexpectedResponse, message: e.description)
        default:
            return nil
        }
    }

    static func kind(of error: StoreAPIError) -> Kind {
        switch error.code {
        case .transport, .timeout, .invalidRequest: .unreachable
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .rateLimited, .server: .storeFailing
        case .malformedResponse: .unexpectedResponse
        case .validation, .clientError: .refused
        }
    }
}
