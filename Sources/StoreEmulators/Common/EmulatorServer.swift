import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPServing
import Hummingbird
import Logging
import Synchronization
import SyncCore

/// Serves any ``StoreEmulator`` on a loopback HTTP port, and delivers its webhooks over HTTP.
///
/// Every HTTP request becomes a `StoreRequest` (method, raw path, query items decoded in order,
/// headers in order, raw body) and the emulator's ``EmulatorReply`` becomes the HTTP response.
/// Tests and the demo use it to talk to an emulator through a real socket:
///
/// ```swift
/// let server = EmulatorServer(emulator: shopify, logger: logger)
/// let port = try await server.start()      // 127.0.0.1, ephemeral port
/// // … http://127.0.0.1:\(port)/admin/api/2024-10/shop.json …
/// await server.stop()
/// ```
///
/// Behaviours worth knowing:
/// - ``EmulatorReply/timeout`` holds the connection for ``Configuration/timeoutHoldSeconds``
///   (default 30 s, longer than typical client timeouts), then answers `504` with an empty body.
///   ``stop()`` ends held requests early.
/// - Hummingbird writes its own `Date` header (the system clock) over the emulator's; the
///   emulator's store-clock date is kept in `X-Emulator-Date` so skew tests over HTTP can read it.
/// - A delivery loop calls ``StoreEmulator/takeDueWebhooks()`` every
///   ``Configuration/webhookPollInterval`` and POSTs each delivery, in order, to its address with its
///   headers and raw body. A delivery that fails (transport error or non-2xx) is logged and retried
///   up to ``Configuration/webhookRetryLimit`` more times, ``Configuration/webhookRetryDelay`` apart,
///   with the original headers and body — as Shopify retries with the original payload. An emulator
///   whose store never retries (``StoreEmulator/retriesFailedWebhooks``, WooCommerce) gets one
///   attempt; every attempt's outcome is reported to ``StoreEmulator/webhookDeliveryFinished(_:succeeded:)``.
/// - The server is an I/O shell: its tasks run on real time, the emulator keeps its own clock.
public final class EmulatorServer: Sendable {
    /// Tuning for the HTTP server and the webhook delivery loop.
    public struct Configuration: Sendable, Hashable {
        /// How long a `.timeout` reply holds the connection before answering 504.
        public var timeoutHoldSeconds: Double = 30
        /// How often due webhooks are collected from the emulator.
        public var webhookPollInterval: Duration = .milliseconds(50)
        /// Extra attempts for a failed webhook delivery.
        public var webhookRetryLimit = 2
        /// Time between attempts of a failed webhook delivery.
        public var webhookRetryDelay: Duration = .seconds(1)
        /// The per-attempt timeout of a webhook POST.
        public var webhookRequestTimeoutSeconds: Double = 5
        /// Request bodies larger than this are refused with 413.
        public var maxBodyBytes = 16 * 1024 * 1024

        public init() {}
    }

    /// Why the server could not start.
    public struct StartError: Error, Sendable, CustomStringConvertible {
        public enum Code: String, Sendable { case alreadyStarted, bindFailed }
        public let code: Code
        public let message: String
        public var description: String { "emulator server \(code.rawValue): \(message)" }
    }

    /// Counters of the webhook delivery loop, for assertions and the CLI.
    public struct WebhookStats: Sendable, Hashable {
        /// POSTs answered 2xx.
        public var delivered = 0
        /// Attempts that failed (each retry counts).
        public var failedAttempts = 0
        /// Deliveries given up after the last retry.
        public var abandoned = 0
    }

    private struct State: Sendable {
        var deliveryTask: Task<Void, Never>?
        var stats = WebhookStats()
    }

    /// Whether ``stop()`` was called, shared with the server task.
    private final class StopFlag: Sendable {
        private let value = Mutex(false)
        var isSet: Bool { value.withLock { $0 } }
        func set(_ v: Bool) { value.withLock { $0 = v } }
    }

    private struct PendingDelivery: Sendable {
        var delivery: WebhookDelivery
        var attempts: Int
        var notBefore: ContinuousClock.Instant
    }

    public let emulator: any StoreEmulator
    public var host: String { server.host }
    public var requestedPort: Int { server.requestedPort }
    public let configuration: Configuration
    private let logger: Logger
    private let server: HTTPServerHost
    private let state = Mutex(State())
    private let stopping = StopFlag()

    /// Creates a server for `emulator`; nothing is bound until ``start()``.
    ///
    /// - Parameters:
    ///   - host: the address to bind; keep the loopback default.
    ///   - port: `0` binds an ephemeral port, reported by ``start()``.
    public init(emulator: any StoreEmulator, host: String = "127.0.0.1", port: Int = 0, configuration: Configuration = Configuration(), logger: Logger) {
        self.emulator = emulator
        self.configuration = configuration
        self.logger = logger
        // Open keep-alive connections or a held `.timeout` request get 250 ms once stop() closed the listener.
        self.server = HTTPServerHost(name: "emulator server", host: host, port: port, stopGrace: .milliseconds(250), logger: logger)
    }

    /// The bound port while running, else `nil`.
    public var port: Int? { server.port }

    /// The delivery loop's counters so far.
    public var webhookStats: WebhookStats { state.withLock { $0.stats } }

    /// Binds, starts serving and starts the webhook delivery loop; returns the bound port.
    ///
    /// Throws ``StartError`` when already started or when the address cannot be bound.
    @discardableResult
    public func start() async throws -> Int {
        if server.isRunning {
            throw StartError(code: .alreadyStarted, message: "the server is already running on port \(port ?? 0); call stop() first")
        }
        let emulator = self.emulator
        let configuration = self.configuration
        let logger = self.logger
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            try await Self.respond(to: request, emulator: emulator, configuration: configuration, logger: logger)
        }
        stopping.set(false)
        let applicationConfiguration = server.applicationConfiguration
        let bound = await server.start { onServerRunning in
            Application(responder: responder, configuration: applicationConfiguration, onServerRunning: onServerRunning, logger: logger)
        }
        guard let boundPort = bound else {
            throw StartError(code: .bindFailed, message: "could not bind \(host):\(requestedPort); pick another port or pass 0 for an ephemeral one")
        }
        let deliveryTask = Task(executorPreference: DedicatedThreadsExecutor.servers) { [weak self] in
            guard let self else { return }
            await self.runDeliveryLoop()
        }
        state.withLock { $0.deliveryTask = deliveryTask }
        return boundPort
    }

    /// Stops serving and delivering; returns once both have ended. Safe to call twice.
    public func stop() async {
        let delivery = state.withLock { s -> Task<Void, Never>? in
            defer { s.deliveryTask = nil }
            return s.deliveryTask
        }
        // The delivery loop sees the flag between posts. It is not cancelled: cancelling a task while
        // FoundationNetworking completes its request deadlocks on Linux (the cancel handler and the
        // completion each wait for the other's lock).
        stopping.set(true)
        await delivery?.value
        await server.stop()
    }

    // MARK: Requests

    /// Threads for the emulators' synchronous handlers. A handler blocks — on the emulator's lock, and
    /// the Shopify GraphQL route on its executor's thread — so it must not run on one of the few
    /// threads of Swift's cooperative pool: with every pool thread blocked, nothing async in the
    /// process (other servers, the clients under test) could run.
    private static let handlerQueue = DispatchQueue(label: "oorden.emulator.handler", attributes: .concurrent)

    private static func handleOffThePool(_ request: StoreRequest, emulator: any StoreEmulator) async -> EmulatorReply {
        await withCheckedContinuation { continuation in
            handlerQueue.async { continuation.resume(returning: emulator.handle(request)) }
        }
    }

    private static func respond(to request: Request, emulator: any StoreEmulator, configuration: Configuration, logger: Logger) async throws -> Response {
        guard let method = StoreRequest.Method(rawValue: request.method.rawValue) else {
            return Response(status: .methodNotAllowed)
        }
        var headers = HeaderFields()
        // HTTP/1.1 `Host` arrives as the request's authority, not as a header field.
        if let authority = request.head.authority {
            headers.add("Host", authority)
        }
        for field in request.headers where field.name.rawName.lowercased() != "host" {
            headers.add(field.name.rawName, field.value)
        }
        var body = Data()
        do {
            let buffer = try await request.body.collect(upTo: configuration.maxBodyBytes)
            body = Data(buffer.readableBytesView)
        } catch {
            return Response(status: .contentTooLarge)
        }
        let query = request.uri.query.map { QueryItem.parseQuery(Substring($0)) } ?? []
        let storeRequest = StoreRequest(method: method, path: request.uri.path, query: query, headers: headers, body: body)
        switch await Self.handleOffThePool(storeRequest, emulator: emulator) {
        case .response(let reply):
            return makeResponse(reply)
        case .timeout:
            logger.debug("emulator reply is a timeout; holding the connection", metadata: ["path": "\(storeRequest.path)"])
            try? await Task.sleep(for: .milliseconds(Int64(configuration.timeoutHoldSeconds * 1000)))
            return Response(status: .gatewayTimeout)
        }
    }

    private static func makeResponse(_ reply: StoreResponse) -> Response {
        var fields = HTTPFields()
        for field in reply.headers {
            guard let name = HTTPFields.Element.Name(field.name) else { continue }
            if field.name.lowercased() == "date" {
                if let emulatorDate = HTTPFields.Element.Name("X-Emulator-Date") {
                    fields.append(HTTPFields.Element(name: emulatorDate, value: field.value))
                }
            }
            fields.append(HTTPFields.Element(name: name, value: field.value))
        }
        let buffer = ByteBuffer(bytes: reply.body)
        return Response(status: .init(code: reply.status), headers: fields, body: ResponseBody(byteBuffer: buffer))
    }

    // MARK: Webhooks

    private func runDeliveryLoop() async {
        let session = URLSession(configuration: .ephemeral)
        var retries: [PendingDelivery] = []
        let clock = ContinuousClock()
        while !Task.isCancelled && !stopping.isSet {
            var batch = emulator.takeDueWebhooks().map { PendingDelivery(delivery: $0, attempts: 0, notBefore: clock.now) }
            let now = clock.now
            let dueRetries = retries.filter { $0.notBefore <= now }
            retries.removeAll { $0.notBefore <= now }
            batch = dueRetries + batch
            for var pending in batch {
                if Task.isCancelled || stopping.isSet { break }
                let ok = await post(pending.delivery, session: session)
                emulator.webhookDeliveryFinished(pending.delivery, succeeded: ok)
                if ok {
                    state.withLock { $0.stats.delivered += 1 }
                    continue
                }
                pending.attempts += 1
                let abandon = !emulator.retriesFailedWebhooks || pending.attempts > configuration.webhookRetryLimit
                state.withLock {
                    $0.stats.failedAttempts += 1
                    if abandon { $0.stats.abandoned += 1 }
                }
                if abandon {
                    logger.warning("webhook abandoned after retries", metadata: ["topic": "\(pending.delivery.topic)", "id": "\(pending.delivery.deliveryID)", "address": "\(pending.delivery.address)"])
                } else {
                    pending.notBefore = clock.now.advanced(by: configuration.webhookRetryDelay)
                    retries.append(pending)
                }
            }
            try? await Task.sleep(for: configuration.webhookPollInterval)
        }
        session.invalidateAndCancel()
    }

    private func post(_ delivery: WebhookDelivery, session: URLSession) async -> Bool {
        guard let url = URL(string: delivery.address) else {
            logger.warning("webhook address is not a URL", metadata: ["address": "\(delivery.address)"])
            return false
        }
        var request = URLRequest(url: url, timeoutInterval: configuration.webhookRequestTimeoutSeconds)
        request.httpMethod = "POST"
        for field in delivery.headers {
            request.addValue(field.value, forHTTPHeaderField: field.name)
        }
        request.httpBody = delivery.body
        do {
            let (_, response) = try await session.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            if (200..<300).contains(status) { return true }
            logger.info("webhook refused", metadata: ["topic": "\(delivery.topic)", "status": "\(status)", "address": "\(delivery.address)"])
            return false
        } catch {
            logger.info("webhook delivery failed", metadata: ["topic": "\(delivery.topic)", "error": "\(error.localizedDescription)", "address": "\(delivery.address)"])
            return false
        }
    }
}
