import Connectors
import Foundation
import HTTPServing
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Synchronization
import SyncCore

/// The daemon's HTTP front: webhook intake into the ``WebhookInbox``, plus `GET /healthz` and `GET /metrics`.
///
/// Routes and answers:
/// - `POST /webhooks/shopify/{store}`, `POST /webhooks/woocommerce/{store}`: the signature is checked
///   over the raw body with the store's webhook secret; the body is stored in the inbox and the answer
///   is `200` at once (processing happens later, from the inbox). A delivery already in the inbox
///   (same store and ``deduplicationKey(kind:envelope:topic:body:)``) is answered `200` and not stored again.
///   - missing or wrong signature: `401`, nothing stored;
///   - WooCommerce's unsigned ping (form body `webhook_id=N`): `200`, nothing stored;
///   - body larger than `maxBodyBytes`: `413`, nothing stored;
///   - a store name not configured, or configured with the other platform: `404`;
///   - signed, but not a JSON object, or without a topic header: `400`, nothing stored (the store
///     reports the failure in its webhook log; the reconciliation pass still syncs the record);
///   - signed, but naming another store (`X-Shopify-Shop-Domain`, `X-WC-Webhook-Source`, see
///     ``WebhookSource``): `403`, nothing stored, logged with both values; no such header: `400`.
/// - `GET /healthz`: `200 ok` while running; `503 stopping` once ``stop()`` was called.
/// - `GET /metrics`: Prometheus text from the `metrics` closure.
///
/// Routing is Hummingbird's router with path parameters. Connections are bounded by
/// ``ReceiverLimits``: a cap on open connections (idle ones closed first, then `503`), an idle
/// timeout and a whole-request timeout.
public final class WebhookReceiver: Sendable {
    /// One store the receiver accepts deliveries for: its secret, and the store its deliveries must name.
    public struct StoreSecret: Sendable {
        public var name: String
        public var kind: StoreKind
        public var verifier: WebhookVerifier
        /// The shop domain or site URL the delivery headers must carry
        /// (`SyncConfiguration.Store.webhookSource()` for a configured store).
        public var source: WebhookSource

        public init(name: String, kind: StoreKind, secret: String, source: WebhookSource) {
            self.name = name
            self.kind = kind
            self.verifier = WebhookVerifier(platform: kind.recordFormat.webhookPlatform, secret: secret)
            self.source = source
        }
    }

    let stores: [String: StoreSecret]
    let inbox: WebhookInbox
    let clock: any WallClock
    let metrics: DaemonMetrics
    let maxBodyBytes: Int
    let limits: ReceiverLimits
    let connections: ConnectionLimiter
    var host: String { server.host }
    var requestedPort: Int { server.requestedPort }
    let metricsText: @Sendable () async -> String
    /// Called after a delivery was stored, to wake the inbox processor.
    let onStored: @Sendable () -> Void
    let logger: Logger
    private let server: HTTPServerHost

    public init(stores: [StoreSecret], inbox: WebhookInbox, clock: any WallClock, metrics: DaemonMetrics,
                maxBodyBytes: Int, limits: ReceiverLimits = ReceiverLimits(), host: String = "127.0.0.1", port: Int = 0,
                metricsText: @escaping @Sendable () async -> String, onStored: @escaping @Sendable () -> Void = {}, logger: Logger) {
        self.stores = Dictionary(stores.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.inbox = inbox
        self.clock = clock
        self.metrics = metrics
        self.maxBodyBytes = maxBodyBytes
        self.limits = limits
        self.connections = ConnectionLimiter(maxConnections: limits.maxConnections, logger: logger)
        // Requests in flight get 2 s once stop() closed the listener.
        self.server = HTTPServerHost(name: "webhook receiver", host: host, port: port, stopGrace: .seconds(2), logger: logger)
        self.metricsText = metricsText
        self.onStored = onStored
        self.logger = logger
    }

    /// Whether ``stop()`` was called.
    public var isStopping: Bool { server.isStopping }

    /// The bound port while running.
    public var port: Int? { server.port }

    /// Connections open now and shed so far (`/metrics`, tests).
    public var connectionCounts: ReceiverConnectionCounts { connections.counts }

    /// Binds and starts serving; returns the bound port. Throws ``DaemonError`` (`bind_failed`).
    @discardableResult
    public func start() async throws -> Int {
        let router = makeRouter()
        let http1 = http1Configuration()
        let applicationConfiguration = server.applicationConfiguration
        let logger = self.logger
        let bound = await server.start { onServerRunning in
            Application(router: router, server: .http1(configuration: http1), configuration: applicationConfiguration,
                        onServerRunning: onServerRunning, logger: logger)
        }
        guard let boundPort = bound else {
            throw DaemonError(code: .bindFailed, message: "could not listen on \(host):\(requestedPort); pick a free daemon.listen_port (0 picks any)")
        }
        return boundPort
    }

    /// Stops intake: closes the listening socket, lets requests in flight finish (up to 2 s), then ends.
    public func stop() async {
        await server.stop()
    }

    // MARK: Routes

    /// `/webhooks/{platform}/{store}`, `/healthz`, `/metrics`; anything else is 404 with where webhooks go.
    private func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: NotFoundText())
        router.post("webhooks/{platform}/{store}") { [self] request, context in
            await receive(request, platform: context.parameters.get("platform") ?? "", store: context.parameters.get("store") ?? "")
        }
        router.get("webhooks/{platform}/{store}") { [self] _, _ in text(.methodNotAllowed, "webhooks are POSTed\n") }
        router.get("healthz") { [self] _, _ in health() }
        router.head("healthz") { [self] _, _ in health() }
        router.post("healthz") { [self] _, _ in text(.methodNotAllowed, "use GET\n") }
        router.get("metrics") { [self] _, _ in
            text(.ok, await metricsText(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.post("metrics") { [self] _, _ in text(.methodNotAllowed, "use GET\n") }
        return router
    }

    /// HTTP/1.1 with the idle timeout (Hummingbird's, which also bounds how long headers may take) and
    /// the connection guard (cap and whole-request timeout) after HTTP decoding.
    private func http1Configuration() -> HTTP1Channel.Configuration {
        let limiter = connections
        let requestTimeout = TimeAmount.milliseconds(limits.requestTimeoutMilliseconds)
        return HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionGuardHandler(limiter: limiter, requestTimeout: requestTimeout)],
            idleTimeout: .milliseconds(limits.idleTimeoutMilliseconds))
    }

    private func health() -> Response {
        server.isStopping ? text(.serviceUnavailable, "stopping\n") : text(.ok, "ok\n")
    }

    // MARK: Deliveries

    private func receive(_ request: Request, platform: String, store storeName: String) async -> Response {
        guard let kind = StoreKind(rawValue: platform) else {
            return text(.notFound, Self.notFoundText)
        }
        guard let store = stores[storeName], store.kind == kind else {
            return text(.notFound, "no \(kind.rawValue) store named \(storeName) is configured\n")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBodyBytes {
            return answer(store, .contentTooLarge, "body larger than \(maxBodyBytes) bytes\n")
        }
        let body: Data
        do {
            body = Data(try await request.body.collect(upTo: maxBodyBytes).readableBytesView)
        } catch is NIOTooManyBytesError {
            return answer(store, .contentTooLarge, "body larger than \(maxBodyBytes) bytes\n")
        } catch {
            // The connection closed mid-body (the client left, or the request timeout cut it).
            return text(.badRequest, "the body did not arrive whole\n")
        }
        var headers = SyncCore.HeaderFields()
        for field in request.headers { headers.add(field.name.rawName, field.value) }
        let envelope: WebhookEnvelope
        do {
            envelope = try store.verifier.verify(headers: headers, body: body)
            try store.source.check(envelope)
        } catch let error as WebhookError {
            var metadata: Logger.Metadata = ["store": "\(storeName)", "code": "\(error.code.rawValue)"]
            if error.code == .wrongSource || error.code == .missingSource {
                metadata["expected"] = "\(store.source.expected)"
                metadata["received"] = "\(parsedEnvelope(headers, kind)?.source ?? "none")"
                metadata["header"] = "\(store.source.headerName)"
            }
            logger.warning("webhook refused", metadata: metadata)
            return answer(store, HTTPResponse.Status(code: error.httpStatus), error.message + "\n")
        } catch {
            return answer(store, .badRequest, "\(error)\n")
        }
        if envelope.isPing { return answer(store, .ok, "pong\n") }
        guard let topic = envelope.topic else { return answer(store, .badRequest, "no topic header\n") }
        guard (try? JSONValue.parse(body))?.object != nil else {
            logger.warning("signed webhook body is not a JSON object", metadata: ["store": "\(storeName)", "topic": "\(topic)"])
            return answer(store, .badRequest, "the body is not a JSON object\n")
        }
        return keep(envelope, topic: topic, body: body, for: store)
    }

    /// The delivery's envelope, for logging what a refused one said.
    private func parsedEnvelope(_ headers: SyncCore.HeaderFields, _ kind: StoreKind) -> WebhookEnvelope? {
        try? WebhookEnvelope.parse(platform: kind.recordFormat.webhookPlatform, headers: headers, body: Data())
    }

    /// Keeps a verified delivery in the inbox (or recognises it as a duplicate) and answers.
    private func keep(_ envelope: WebhookEnvelope, topic: String, body: Data, for store: StoreSecret) -> Response {
        let deliveryID = Self.deduplicationKey(kind: store.kind, envelope: envelope, topic: topic, body: body)
        do {
            let stored = try inbox.store(store: store.name, kind: store.kind, deliveryID: deliveryID, topic: topic,
                                         receivedAt: clock.nowMilliseconds(), triggeredAt: envelope.triggeredAtMilliseconds, body: body)
            if stored {
                onStored()
            } else {
                metrics.duplicateDelivery(store.name)
            }
            return answer(store, .ok, stored ? "stored\n" : "duplicate\n")
        } catch {
            logger.error("webhook inbox write failed", metadata: ["store": "\(store.name)", "error": "\(error)"])
            return answer(store, .serviceUnavailable, "the inbox cannot be written; the store will retry\n")
        }
    }

    static let notFoundText = "not found: webhooks go to /webhooks/shopify/{store} or /webhooks/woocommerce/{store}\n"

    private func answer(_ store: StoreSecret, _ status: HTTPResponse.Status, _ message: String) -> Response {
        metrics.webhookAnswered(store.name, code: Int(status.code))
        return text(status, message)
    }

    private func text(_ status: HTTPResponse.Status, _ message: String, contentType: String = "text/plain; charset=utf-8") -> Response {
        textResponse(status, message, contentType: contentType)
    }

    /// The inbox key a delivery is deduplicated by (per store).
    ///
    /// Shopify: its webhook id (the same on retries), else its event id. WooCommerce: the topic and a
    /// fingerprint of the body (`wc-…`) — its `X-WC-Webhook-Delivery-ID` is new for *every* delivery,
    /// a second delivery of the same event included, so it cannot recognise a duplicate. The body is the
    /// resource as WooCommerce rendered it, `date_modified` included, so the same event delivered twice
    /// (or by two subscriptions to one topic) has the same key, while any later change differs. Two
    /// deliveries with identical bodies carry the same information, so keeping one loses nothing.
    /// A delivery with no id at all is keyed by the fingerprint too.
    static func deduplicationKey(kind: StoreKind, envelope: WebhookEnvelope, topic: String, body: Data) -> String {
        kind.recordFormat.deduplicationKey(envelope: envelope, fingerprint: fingerprint(topic: topic, body: body))
    }

    /// A stable 64-bit FNV-1a fingerprint of topic and body, for deliveries whose id cannot deduplicate them.
    static func fingerprint(topic: String, body: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in Data(topic.utf8) + [0] + body {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16) + "-" + String(body.count)
    }
}

/// A plain-text answer.
func textResponse(_ status: HTTPResponse.Status, _ message: String, contentType: String = "text/plain; charset=utf-8") -> Response {
    var fields = HTTPFields()
    fields[.contentType] = contentType
    return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: message)))
}

/// Answers a path the router does not know with where webhooks go, instead of an empty 404.
struct NotFoundText<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return textResponse(.notFound, WebhookReceiver.notFoundText)
        }
    }
}
