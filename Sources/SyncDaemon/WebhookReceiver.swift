import Connectors
import Foundation
import Hummingbird
import Logging
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
///     reports the failure in its webhook log; the reconciliation pass still syncs the record).
/// - `GET /healthz`: `200 ok` while running; `503 stopping` once ``stop()`` was called.
/// - `GET /metrics`: Prometheus text from the `metrics` closure.
public final class WebhookReceiver: Sendable {
    /// One store the receiver accepts deliveries for.
    public struct StoreSecret: Sendable {
        public var name: String
        public var kind: StoreKind
        public var verifier: WebhookVerifier

        public init(name: String, kind: StoreKind, secret: String) {
            self.name = name
            self.kind = kind
            self.verifier = WebhookVerifier(platform: kind == .shopify ? .shopify : .wooCommerce, secret: secret)
        }
    }

    private struct State: Sendable {
        var serverTask: Task<Void, Never>?
        var closeListener: (@Sendable () -> Void)?
        var port: Int?
        var stopping = false
    }

    let stores: [String: StoreSecret]
    let inbox: WebhookInbox
    let clock: any WallClock
    let metrics: DaemonMetrics
    let maxBodyBytes: Int
    let host: String
    let requestedPort: Int
    let metricsText: @Sendable () async -> String
    /// Called after a delivery was stored, to wake the inbox processor.
    let onStored: @Sendable () -> Void
    let logger: Logger
    private let state = Mutex(State())

    public init(stores: [StoreSecret], inbox: WebhookInbox, clock: any WallClock, metrics: DaemonMetrics,
                maxBodyBytes: Int, host: String = "127.0.0.1", port: Int = 0,
                metricsText: @escaping @Sendable () async -> String, onStored: @escaping @Sendable () -> Void = {}, logger: Logger) {
        self.stores = Dictionary(stores.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.inbox = inbox
        self.clock = clock
        self.metrics = metrics
        self.maxBodyBytes = maxBodyBytes
        self.host = host
        self.requestedPort = port
        self.metricsText = metricsText
        self.onStored = onStored
        self.logger = logger
    }

    /// Whether ``stop()`` was called.
    public var isStopping: Bool { state.withLock { $0.stopping } }

    /// The bound port while running.
    public var port: Int? { state.withLock { $0.port } }

    /// Binds and starts serving; returns the bound port. Throws ``DaemonError`` (`bind_failed`).
    @discardableResult
    public func start() async throws -> Int {
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int?.self)
        let listener = Mutex<(@Sendable () -> Void)?>(nil)
        let responder = CallbackResponder<BasicRequestContext> { [self] request, _ in
            await self.respond(to: request)
        }
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(host, port: requestedPort), serverName: nil),
            onServerRunning: { channel in
                listener.withLock { $0 = { channel.close(promise: nil) } }
                portContinuation.yield(channel.localAddress?.port)
                portContinuation.finish()
            },
            logger: logger)
        let logger = self.logger
        let serverTask = Task { [self] in
            do {
                try await app.run()
            } catch {
                if self.isStopping {
                    logger.debug("webhook receiver stopped", metadata: ["detail": "\(error)"])
                } else {
                    logger.error("webhook receiver stopped with an error", metadata: ["error": "\(error)"])
                }
            }
            portContinuation.finish()
        }
        var bound: Int?? = nil
        for await value in portStream {
            bound = value
            break
        }
        guard let maybePort = bound, let boundPort = maybePort else {
            serverTask.cancel()
            await serverTask.value
            throw DaemonError(code: .bindFailed, message: "could not listen on \(host):\(requestedPort); pick a free daemon.listen_port (0 picks any)")
        }
        state.withLock {
            $0.serverTask = serverTask
            $0.closeListener = listener.withLock { $0 }
            $0.port = boundPort
        }
        logger.info("webhook receiver listening", metadata: ["address": "\(host):\(boundPort)"])
        return boundPort
    }

    /// Stops intake: closes the listening socket, lets requests in flight finish (up to 2 s), then ends.
    public func stop() async {
        let (server, close) = state.withLock { s -> (Task<Void, Never>?, (@Sendable () -> Void)?) in
            s.stopping = true
            defer { s.serverTask = nil; s.closeListener = nil; s.port = nil }
            return (s.serverTask, s.closeListener)
        }
        close?()
        guard let server else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await server.value }
            group.addTask { try? await Task.sleep(for: .seconds(2)) }
            _ = await group.next()
            server.cancel()
            group.cancelAll()
        }
        await server.value
    }

    // MARK: Requests

    private func respond(to request: Request) async -> Response {
        let path = request.uri.path
        if path == "/healthz" {
            guard request.method == .get || request.method == .head else { return text(.methodNotAllowed, "use GET\n") }
            return state.withLock({ $0.stopping }) ? text(.serviceUnavailable, "stopping\n") : text(.ok, "ok\n")
        }
        if path == "/metrics" {
            guard request.method == .get else { return text(.methodNotAllowed, "use GET\n") }
            return text(.ok, await metricsText(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 3, parts[0] == "webhooks", let kind = StoreKind(rawValue: parts[1]) else {
            return text(.notFound, "not found: webhooks go to /webhooks/shopify/{store} or /webhooks/woocommerce/{store}\n")
        }
        let storeName = parts[2]
        guard let store = stores[storeName], store.kind == kind else {
            return text(.notFound, "no \(kind.rawValue) store named \(storeName) is configured\n")
        }
        guard request.method == .post else { return answer(store, .methodNotAllowed, "webhooks are POSTed\n") }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBodyBytes {
            return answer(store, .contentTooLarge, "body larger than \(maxBodyBytes) bytes\n")
        }
        let body: Data
        do {
            body = Data(try await request.body.collect(upTo: maxBodyBytes).readableBytesView)
        } catch {
            return answer(store, .contentTooLarge, "body larger than \(maxBodyBytes) bytes\n")
        }
        var headers = SyncCore.HeaderFields()
        for field in request.headers { headers.add(field.name.rawName, field.value) }
        let envelope: WebhookEnvelope
        do {
            envelope = try store.verifier.verify(headers: headers, body: body)
        } catch let error as WebhookError {
            logger.warning("webhook refused", metadata: ["store": "\(storeName)", "code": "\(error.code.rawValue)"])
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
        let deliveryID = Self.deduplicationKey(kind: kind, envelope: envelope, topic: topic, body: body)
        do {
            let stored = try inbox.store(store: storeName, kind: kind, deliveryID: deliveryID, topic: topic,
                                         receivedAt: clock.nowMilliseconds(), triggeredAt: envelope.triggeredAtMilliseconds, body: body)
            if stored {
                onStored()
            } else {
                metrics.duplicateDelivery(storeName)
            }
            return answer(store, .ok, stored ? "stored\n" : "duplicate\n")
        } catch {
            logger.error("webhook inbox write failed", metadata: ["store": "\(storeName)", "error": "\(error)"])
            return answer(store, .serviceUnavailable, "the inbox cannot be written; the store will retry\n")
        }
    }

    private func answer(_ store: StoreSecret, _ status: HTTPResponse.Status, _ message: String) -> Response {
        metrics.webhookAnswered(store.name, code: Int(status.code))
        return text(status, message)
    }

    private func text(_ status: HTTPResponse.Status, _ message: String, contentType: String = "text/plain; charset=utf-8") -> Response {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: message)))
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
        switch kind {
        case .woocommerce: "wc-" + fingerprint(topic: topic, body: body)
        case .shopify: envelope.deliveryID ?? "body-" + fingerprint(topic: topic, body: body)
        }
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
