import Foundation
import SyncCore

/// The whole state of one emulated WooCommerce site; every mutation goes through this value type,
/// which ``WooCommerceEmulator`` keeps behind its lock.
struct WooCommerceSite: Sendable {
    var config: WooCommerceEmulatorConfiguration
    let credentials: WooCommerceCredentials
    var dataRNG: SeededRandom
    var faultRNG: SeededRandom
    var faults = FaultPlan()
    var skewMilliseconds: Int64 = 0
    /// Site time of the operation in progress, in whole seconds (milliseconds value).
    var now: Int64 = 0

    var customers: [Int: WooCustomerRecord] = [:]
    var products: [Int: WooProductRecord] = [:]
    var orders: [Int: WooOrderRecord] = [:]
    var taxes: [Int: WooTaxRate] = [:]
    var webhooks: [Int: WooWebhookRecord] = [:]

    var nextUserID = 2
    var nextPostID = 10
    var nextTaxID = 1
    var nextWebhookID = 1
    var nextMetaID = 1
    var nextItemID = 1
    var nextDeliveryID = 1
    var nextQueueSequence = 0

    /// Used OAuth nonces per consumer key: `[timestamp: nonce]`, as WooCommerce stores them.
    var nonces: [String: [Int64: String]] = [:]
    var queue: [WooPendingDelivery] = []
    var operation = 0
    /// `resource#id` created in the operation in progress: WooCommerce does not follow a
    /// `.created` delivery with an `.updated` one for the same save.
    var createdThisOperation: Set<String> = []
    var requestCounts: [String: Int] = [:]

    init(configuration: WooCommerceEmulatorConfiguration, seed: UInt64) {
        var root = SeededRandom(seed: seed)
        var credentialRNG = root.fork()
        credentials = WooCommerceCredentials.generate(using: &credentialRNG)
        dataRNG = root.fork()
        faultRNG = root.fork()
        config = configuration
    }

    // MARK: Time

    /// Starts an operation (a request or a merchant action) at the given wall-clock time.
    mutating func begin(wallMilliseconds: Int64) {
        operation += 1
        createdThisOperation = []
        let site = wallMilliseconds + skewMilliseconds
        now = site - ((site % 1000) + 1000) % 1000
    }

    func localDate(_ ms: Int64) -> String {
        ISO8601Time.formatGMTNoZone(ms + Int64(config.timezoneOffsetMinutes) * 60_000)
    }

    func gmtDate(_ ms: Int64) -> String { ISO8601Time.formatGMTNoZone(ms) }

    func dates(_ name: String, _ ms: Int64?) -> [(String, JSONValue)] {
        guard let ms else { return [(name, .null), (name + "_gmt", .null)] }
        return [(name, .string(localDate(ms))), (name + "_gmt", .string(gmtDate(ms)))]
    }

    // MARK: Ids

    mutating func takeUserID() -> Int { defer { nextUserID += 1 }; return nextUserID }
    mutating func takePostID() -> Int { defer { nextPostID += 1 }; return nextPostID }
    mutating func takeItemID() -> Int { defer { nextItemID += 1 }; return nextItemID }
    mutating func takeMetaID() -> Int { defer { nextMetaID += 1 }; return nextMetaID }

    func link(_ path: String) -> JSONValue {
        ["self": [["href": .string(config.siteURL + "/wp-json/wc/v3/" + path)]],
         "collection": [["href": .string(config.siteURL + "/wp-json/wc/v3/" + collectionPath(path))]]]
    }

    private func collectionPath(_ path: String) -> String {
        var parts = path.split(separator: "/")
        if parts.count > 1 { parts.removeLast() }
        return parts.joined(separator: "/")
    }

    // MARK: Webhooks

    /// Queues one delivery per active webhook subscribed to `resource.event`, once per operation
    /// (and no `.updated` right after `.created` in the same operation), applying the drop/duplicate/delay faults with the seeded generator.
    mutating func fire(_ resource: String, _ event: String, id: Int) {
        let topic = resource + "." + event
        let key = "\(resource)#\(id)"
        if event == "created" { createdThisOperation.insert(key) }
        if event == "updated", createdThisOperation.contains(key) { return }
        for webhook in webhooks.values.sorted(by: { $0.id < $1.id }) where webhook.status == "active" && webhook.topic == topic {
            if queue.contains(where: { $0.operation == operation && $0.webhookID == webhook.id && $0.resourceID == id && $0.topic == topic }) {
                continue
            }
            if faultRNG.chance(faults.webhookDropProbability) { continue }
            let delayRange = faults.webhookDelayMilliseconds
            let delay = delayRange.lowerBound == delayRange.upperBound ? delayRange.lowerBound : Int64.random(in: delayRange, using: &faultRNG)
            let copies = faultRNG.chance(faults.webhookDuplicateProbability) ? 2 : 1
            for copy in 0..<copies {
                // WooCommerce's `X-WC-Webhook-Delivery-ID` is new for every delivery, a duplicate's too.
                let deliveryID = String(nextDeliveryID)
                nextDeliveryID += 1
                nextQueueSequence += 1
                queue.append(WooPendingDelivery(
                    webhookID: webhook.id, topic: topic, resourceID: id, deliveryID: deliveryID,
                    dueAt: now + delay, sequence: nextQueueSequence, isPing: false, duplicate: copy > 0, operation: operation))
            }
        }
    }

    /// Records how a delivery to `webhookID` ended, as `WC_Webhook::deliver` does: a 2xx answer resets
    /// the webhook's consecutive failure count; a failure raises it, and a failure while the count is
    /// already above ``WooCommerceEmulatorConfiguration/maxWebhookDeliveryFailures`` (filter
    /// `woocommerce_max_webhook_delivery_failures`, default 5) disables the webhook instead. WooCommerce
    /// never retries a failed delivery, so a receiver down for a few minutes silently stops every
    /// delivery until the webhook is re-activated (`PUT webhooks/{id} {"status": "active"}`).
    mutating func deliveryFinished(webhookID: Int, succeeded: Bool) {
        guard var w = webhooks[webhookID] else { return }
        if succeeded {
            w.failureCount = 0
        } else if w.failureCount > config.maxWebhookDeliveryFailures {
            w.status = "disabled"
        } else {
            w.failureCount += 1
        }
        webhooks[webhookID] = w
    }

    /// Queues the unsigned ping WooCommerce sends when a webhook is created.
    mutating func queuePing(webhookID: Int) {
        nextQueueSequence += 1
        queue.append(WooPendingDelivery(
            webhookID: webhookID, topic: "action.woocommerce_webhook_ping", resourceID: webhookID,
            deliveryID: "ping-\(webhookID)", dueAt: now, sequence: nextQueueSequence, isPing: true, duplicate: false, operation: operation))
    }

    /// Hands out every due delivery with its payload built now, from the current state.
    mutating func takeDue() -> [WebhookDelivery] {
        let due = queue.filter { $0.dueAt <= now }.sorted { ($0.dueAt, $0.sequence) < ($1.dueAt, $1.sequence) }
        guard !due.isEmpty else { return [] }
        let taken = Set(due.map(\.sequence))
        queue.removeAll { taken.contains($0.sequence) }
        var bodies: [String: Data] = [:]
        var out: [WebhookDelivery] = []
        for pending in due {
            guard let webhook = webhooks[pending.webhookID] else { continue }
            if pending.isPing {
                out.append(WebhookDelivery(
                    address: webhook.deliveryURL, topic: pending.topic, deliveryID: pending.deliveryID,
                    headers: HeaderFields([("Content-Type", "application/x-www-form-urlencoded"), ("User-Agent", Self.userAgent)]),
                    body: Data("webhook_id=\(webhook.id)".utf8), dueAtMilliseconds: pending.dueAt))
                continue
            }
            let body: Data
            if let cached = bodies[pending.deliveryID] {
                body = cached
            } else {
                body = payload(topic: pending.topic, id: pending.resourceID).jsonData
                bodies[pending.deliveryID] = body
            }
            let signature = WooCommerceSignatures.webhookSignature(body: body, secret: webhook.secret)
            let resource = String(pending.topic.split(separator: ".")[0])
            let event = String(pending.topic.split(separator: ".")[1])
            let headers = HeaderFields([
                ("Content-Type", "application/json"),
                ("User-Agent", Self.userAgent),
                ("X-WC-Webhook-Source", config.siteURL + "/"),
                ("X-WC-Webhook-Topic", pending.topic),
                ("X-WC-Webhook-Resource", resource),
                ("X-WC-Webhook-Event", event),
                ("X-WC-Webhook-Signature", signature),
                ("X-WC-Webhook-ID", String(webhook.id)),
                ("X-WC-Webhook-Delivery-ID", pending.deliveryID),
            ])
            out.append(WebhookDelivery(
                address: webhook.deliveryURL, topic: pending.topic, deliveryID: pending.deliveryID,
                headers: headers, body: body, dueAtMilliseconds: pending.dueAt))
        }
        if out.count > 1, faultRNG.chance(faults.webhookReorderProbability) {
            out.shuffle(using: &faultRNG)
        }
        return out
    }

    static let userAgent = "WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)"

    /// The webhook body: the resource as `GET` returns it now, or `{"id": N}` once it is gone.
    func payload(topic: String, id: Int) -> JSONValue {
        let parts = topic.split(separator: ".")
        let resource = parts.first.map(String.init) ?? ""
        if parts.count > 1, parts[1] == "deleted" { return ["id": .integer(id)] }
        switch resource {
        case "customer": if let c = customers[id] { return customerJSON(c) }
        case "product": if let p = products[id], p.status != "trash" { return productJSON(p) }
        case "order": if let o = orders[id] { return orderJSON(o) }
        default: break
        }
        return ["id": .integer(id)]
    }

    // MARK: Meta

    /// Applies a `meta_data` array the way `WC_Data::set_meta_data` does: by id, else by key.
    mutating func applyMeta(_ value: JSONValue, to meta: inout [WooMeta]) throws {
        guard let items = value.array else { throw WooParams.invalid("meta_data", "meta_data is not of type array.") }
        for item in items {
            guard let object = item.object else { throw WooParams.invalid("meta_data", "meta_data[0] is not of type object.") }
            let newValue = object["value"] ?? .null
            if let id = object["id"]?.int, let index = meta.firstIndex(where: { $0.id == id }) {
                if newValue.isNull {
                    meta.remove(at: index)
                } else {
                    meta[index].value = newValue
                    if let key = object["key"]?.string { meta[index].key = key }
                }
                continue
            }
            guard let key = object["key"]?.string else { continue }
            if let index = meta.firstIndex(where: { $0.key == key }) {
                if newValue.isNull { meta.remove(at: index) } else { meta[index].value = newValue }
            } else if !newValue.isNull {
                meta.append(WooMeta(id: takeMetaID(), key: key, value: newValue))
            }
        }
    }

    func metaJSON(_ meta: [WooMeta]) -> JSONValue { .array(meta.map(\.json)) }
}
