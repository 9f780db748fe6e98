import Foundation
import Logging
import SyncCore

/// One store link's HTTP client: a transport plus credentials, Shopify rate-limit pacing and retries.
///
/// ``send(_:)`` signs the request (afresh on every attempt, so OAuth nonces never repeat), waits as the
/// ``ShopifyRateLimitPacer`` says, sends it, and retries 429, 5xx, timeouts and connection failures with
/// ``RetryPolicy`` backoff, honoring `Retry-After`. It returns a 2xx response or throws ``StoreAPIError``;
/// other 4xx (400, 401, 404, 422…) are never retried and carry the store's own message.
///
/// Time, randomness and sleeping are injected, so tests replay exactly. Requests from several tasks may
/// share one client: the pacer sees them all.
///
/// A POST that timed out, lost its connection or was answered 5xx is not retried (``isInDoubt(_:_:)``):
/// the store may have applied it (a create, a relative stock adjustment). Callers dedupe creates by
/// natural key or marker before trying again, as the design requires (SyncDriver's outbox).
///
/// ```swift
/// let client = StoreClient.shopify(origin: "https://shop.myshopify.com", credentials: .accessToken(token),
///                                  clock: SystemWallClock(), seed: 7, logger: logger)
/// let response = try await client.send(StoreRequest(method: .get, path: "/admin/api/2024-10/shop.json"))
/// ```
public actor StoreClient {
    /// Counters for tests, logs and the CLI.
    public struct Statistics: Sendable, Hashable {
        /// Requests handed to the transport, retries included.
        public var attempts = 0
        /// Attempts that were retries.
        public var retries = 0
        /// 429 responses received (absorbed or not).
        public var rateLimitedResponses = 0
        /// Total time the pacer asked to wait, in milliseconds.
        public var pacingDelayMilliseconds: Int64 = 0
        /// Total time spent waiting before retries, in milliseconds.
        public var retryDelayMilliseconds: Int64 = 0

        public init() {}
    }

    private let transport: any StoreTransport
    private let credentials: StoreCredentials
    private let siteURL: String
    private let retryPolicy: RetryPolicy
    private var pacer: ShopifyRateLimitPacer?
    private let clock: any WallClock
    private var random: SeededRandom
    private let sleeper: any StoreSleeper
    private let logger: Logger
    /// What has happened so far.
    public private(set) var statistics = Statistics()

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - siteURL: the origin the store sees, used in OAuth 1.0a signatures (`"http://127.0.0.1:8082"`).
    ///   - pacer: a Shopify leaky-bucket pacer, or `nil` for stores without one (WooCommerce).
    ///   - clock: "now" for pacing, OAuth timestamps and `Retry-After` dates.
    ///   - random: OAuth nonces and backoff jitter.
    public init(
        transport: any StoreTransport, credentials: StoreCredentials, siteURL: String,
        retryPolicy: RetryPolicy = RetryPolicy(), pacer: ShopifyRateLimitPacer? = nil,
        clock: any WallClock, random: SeededRandom, sleeper: any StoreSleeper = TaskSleeper(), logger: Logger
    ) {
        self.transport = transport
        self.credentials = credentials
        self.siteURL = siteURL
        self.retryPolicy = retryPolicy
        self.pacer = pacer
        self.clock = clock
        self.random = random
        self.sleeper = sleeper
        self.logger = logger
    }

    /// A Shopify client over ``URLSessionTransport``, paced for a bucket leaking `leakPerSecond`.
    public static func shopify(
        origin: String, credentials: ShopifyCredentials, leakPerSecond: Int = 2, timeoutSeconds: Double = 30, deadlineSeconds: Double = 120,
        retryPolicy: RetryPolicy = RetryPolicy(), clock: any WallClock, seed: UInt64, logger: Logger
    ) -> StoreClient {
        StoreClient(
            transport: URLSessionTransport(origin: origin, timeoutSeconds: timeoutSeconds, deadlineSeconds: deadlineSeconds, logger: logger),
            credentials: .shopify(credentials), siteURL: origin, retryPolicy: retryPolicy,
            pacer: ShopifyRateLimitPacer(leakPerSecond: leakPerSecond), clock: clock,
            random: SeededRandom(seed: seed), logger: logger)
    }

    /// A WooCommerce client over ``URLSessionTransport``.
    public static func wooCommerce(
        origin: String, credentials: WooCommerceCredentials, timeoutSeconds: Double = 30, deadlineSeconds: Double = 120,
        retryPolicy: RetryPolicy = RetryPolicy(), clock: any WallClock, seed: UInt64, logger: Logger
    ) -> StoreClient {
        StoreClient(
            transport: URLSessionTransport(origin: origin, timeoutSeconds: timeoutSeconds, deadlineSeconds: deadlineSeconds, logger: logger),
            credentials: .wooCommerce(credentials), siteURL: origin, retryPolicy: retryPolicy, pacer: nil,
            clock: clock, random: SeededRandom(seed: seed), logger: logger)
    }

    /// Whether a failed request may have been applied by the store all the same, so that sending it
    /// again could apply it twice: a POST (a create, a relative stock adjustment, a fulfilment) that
    /// timed out, lost its connection, or was answered 5xx — a gateway's 502/503/504 often comes after
    /// the store behind it applied the request. A 429 is a definite "not applied"; PUT and DELETE
    /// set a state, so repeating them is harmless.
    /// The credentials to sign with now: a token provider's current token in place of the provider.
    private func currentCredentials() async throws -> (StoreCredentials, (provider: any ShopifyAccessTokenProvider, token: String)?) {
        guard case .shopify(.tokenProvider(let provider)) = credentials else { return (credentials, nil) }
        let token = try await provider.accessToken()
        return (.shopify(.accessToken(token)), (provider, token))
    }

    public static func isInDoubt(_ method: StoreRequest.Method, _ failure: StoreAPIError) -> Bool {
        guard method == .post else { return false }
        switch failure.code {
        case .timeout, .transport, .server: return true
        default: return false
        }
    }

    /// Sends `request` (unsigned; the client adds auth) and returns its 2xx response, or throws ``StoreAPIError``.
    public func send(_ request: StoreRequest) async throws -> StoreResponse {
        var attempt = 0
        var renewedRejectedToken = false
        while true {
            attempt += 1
            while let wait = pacer?.reserve(nowMilliseconds: clock.nowMilliseconds()), wait > 0 {
                statistics.pacingDelayMilliseconds += wait
                try await sleeper.sleep(milliseconds: wait)
            }
            let (credentials, provided) = try await currentCredentials()
            let signed = credentials.authorize(request, siteURL: siteURL, nowMilliseconds: clock.nowMilliseconds(), random: &random)
            statistics.attempts += 1
            if attempt > 1 { statistics.retries += 1 }

            let failure: StoreAPIError
            do {
                let response: StoreResponse
                do {
                    response = try await transport.send(signed)
                } catch {
                    pacer?.abandon(nowMilliseconds: clock.nowMilliseconds())
                    throw error
                }
                let now = clock.nowMilliseconds()
                pacer?.complete(callLimit: response.headers["X-Shopify-Shop-Api-Call-Limit"], nowMilliseconds: now)
                if response.isSuccess { return response }
                if response.status == 429 {
                    statistics.rateLimitedResponses += 1
                    pacer?.observeRateLimited(nowMilliseconds: now)
                }
                failure = StoreAPIError.from(response: response, method: request.method, path: request.path, nowMilliseconds: now)
            } catch let error as StoreAPIError {
                failure = error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failure = StoreAPIError(
                    code: .transport, method: request.method, path: request.path,
                    message: "the transport failed (\(type(of: error))); check that the store is reachable")
            }

            // An expiring token refused (expired early, revoked, rotated): renewed once, the request
            // sent again with the new one — whatever the method, since a 401 applied nothing.
            if failure.code == .unauthorized, let provided, !renewedRejectedToken {
                renewedRejectedToken = true
                await provided.provider.tokenRejected(provided.token)
                continue
            }

            // A POST without a definite answer may have been applied (a create, a relative stock
            // adjustment): sending it again could apply it twice. It is not retried here; the
            // driver's outbox looks the record up before trying again.
            guard failure.isRetryable, request.repeatsSafely || !Self.isInDoubt(request.method, failure), attempt < retryPolicy.maxAttempts else {
                if failure.isRetryable && attempt > 1 {
                    var final = failure
                    final.message += " (gave up after \(attempt) attempts)"
                    throw final
                }
                throw failure
            }
            let delay = retryPolicy.delayMilliseconds(after: failure, retry: attempt, random: &random)
            logger.info("retrying store request", metadata: [
                "method": "\(request.method.rawValue)", "path": "\(request.path)", "error": "\(failure.code.rawValue)",
                "status": "\(failure.status.map(String.init) ?? "-")", "attempt": "\(attempt)", "delay_ms": "\(delay)",
            ])
            statistics.retryDelayMilliseconds += delay
            try await sleeper.sleep(milliseconds: delay)
        }
    }
}
