import Foundation
import SyncCore

/// A store emulator: a pure, stateful `request → reply` handler.
///
/// The same handler serves three callers: tests and the simulator call ``handle(_:)`` directly
/// (single-threaded, deterministic), and ``EmulatorServer`` puts it behind a loopback HTTP port.
/// Implementations guard their state with a lock so the server may call them from any thread.
public protocol StoreEmulator: AnyObject, Sendable {
    /// Answers one request at the emulator's current time.
    func handle(_ request: StoreRequest) -> EmulatorReply

    /// Removes and returns the webhook deliveries that are due at the emulator's current time,
    /// after drop/duplicate/delay/reorder faults were applied.
    func takeDueWebhooks() -> [WebhookDelivery]

    /// The fault plan; mutate it to inject faults.
    var faults: FaultPlan { get set }

    /// Whether ``EmulatorServer`` retries a failed delivery (Shopify does, with the original payload;
    /// WooCommerce never does). Default true.
    var retriesFailedWebhooks: Bool { get }

    /// Told by ``EmulatorServer`` how each delivery attempt ended (2xx or not), so the store can count
    /// failures the way it really does (WooCommerce disables a webhook after repeated failures).
    /// Default: nothing.
    func webhookDeliveryFinished(_ delivery: WebhookDelivery, succeeded: Bool)
}

extension StoreEmulator {
    public var retriesFailedWebhooks: Bool { true }
    public func webhookDeliveryFinished(_ delivery: WebhookDelivery, succeeded: Bool) {}
}

/// What an emulator does with a request: answer it, or let it time out.
public enum EmulatorReply: Sendable, Hashable {
    case response(StoreResponse)
    /// No answer: an in-process caller sees a timeout error; the HTTP server stalls the connection
    /// past the client's timeout and then closes it.
    case timeout

    /// The response, or `nil` for a timeout.
    public var response: StoreResponse? {
        if case .response(let r) = self { return r }
        return nil
    }
}

/// One webhook POST an emulator wants delivered to a registered address.
public struct WebhookDelivery: Sendable, Hashable {
    /// The registered address (`http://127.0.0.1:9000/webhooks/shopify/main`).
    public var address: String
    public var topic: String
    /// The delivery or event id the receiver deduplicates by.
    public var deliveryID: String
    /// Every header the real store sends, signature included.
    public var headers: HeaderFields
    /// The raw body, exactly the bytes that were signed.
    public var body: Data
    /// When the delivery is due, in the emulator's clock (milliseconds since the epoch).
    public var dueAtMilliseconds: Int64

    public init(address: String, topic: String, deliveryID: String, headers: HeaderFields, body: Data, dueAtMilliseconds: Int64) {
        self.address = address
        self.topic = topic
        self.deliveryID = deliveryID
        self.headers = headers
        self.body = body
        self.dueAtMilliseconds = dueAtMilliseconds
    }
}

/// Faults an emulator injects, for the simulator and the reliability tests.
///
/// Counters (`failNext…`, `timeoutNext`) are consumed one per request; probabilities are drawn
/// from the emulator's seeded generator, so a seed replays the same faults.
public struct FaultPlan: Sendable, Hashable {
    /// The next N requests fail with `failStatus` (500, 502, 503 or 429).
    public var failNextRequests = 0
    public var failStatus = 503
    /// `Retry-After` seconds sent with injected 429/503 responses, if any.
    public var failRetryAfterSeconds: Int? = nil
    /// The next N requests time out.
    public var timeoutNextRequests = 0
    /// The next N writes (POST, PUT, DELETE) that succeed are applied, then answered with
    /// `applyThenFailStatus` instead of their response: a gateway (502/503/504) that gave up waiting
    /// while the store behind it did the work.
    public var applyThenFailNextWrites = 0
    public var applyThenFailStatus = 504
    /// Probability that a webhook is never delivered.
    public var webhookDropProbability = 0.0
    /// Probability that a webhook is delivered twice (same body; Shopify keeps the ids, WooCommerce's
    /// delivery id is new for each delivery).
    public var webhookDuplicateProbability = 0.0
    /// A webhook's delivery is delayed by a uniform draw from this range (milliseconds).
    public var webhookDelayMilliseconds: ClosedRange<Int64> = 0...0
    /// Probability that a due batch of webhooks is handed out in shuffled order.
    public var webhookReorderProbability = 0.0

    public init() {}

    /// No faults at all.
    public static let none = FaultPlan()

    /// The gateway status to answer instead of `response`, when the request was a write the store
    /// applied and an "applied, then failed" fault is pending (one is consumed); otherwise nil.
    mutating func takeApplyThenFail(_ method: StoreRequest.Method, _ response: StoreResponse) -> Int? {
        guard applyThenFailNextWrites > 0, method != .get, response.isSuccess else { return nil }
        applyThenFailNextWrites -= 1
        return applyThenFailStatus
    }
}
