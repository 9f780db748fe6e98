import Crypto
import Foundation
import SyncCore

/// Webhook subscriptions and deliveries.
extension ShopifyShop {
    /// Base64 HMAC-SHA256 of `body` keyed by `secret`, as in `X-Shopify-Hmac-Sha256`.
    static func signature(body: Data, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// Queues one delivery of `payload` per subscription to `topic`, applying drop/duplicate/delay.
    mutating func emit(_ topic: String, _ payload: JSONValue) {
        let subscriptions = webhooks.values.filter { $0.topic == topic }.sorted { $0.id < $1.id }
        guard !subscriptions.isEmpty else { return }
        let body = payload.jsonData
        let eventID = nextEventID
        nextEventID += 1
        let triggeredAt = ISO8601Time.format(nowPrecise, fractional: true, zulu: true)
        let hmac = Self.signature(body: body, secret: credentials.webhookSecret)
        for sub in subscriptions {
            let webhookID = randomUUID()
            if faultRandom.chance(faults.webhookDropProbability) { continue }
            let headers = HeaderFields([
                ("Content-Type", "application/json"),
                ("X-Shopify-Topic", topic),
                ("X-Shopify-Hmac-Sha256", hmac),
                ("X-Shopify-Shop-Domain", configuration.shopDomain),
                ("X-Shopify-API-Version", configuration.apiVersion),
                ("X-Shopify-Webhook-Id", webhookID),
                ("X-Shopify-Triggered-At", triggeredAt),
                ("X-Shopify-Event-Id", String(eventID)),
            ])
            let copies = faultRandom.chance(faults.webhookDuplicateProbability) ? 2 : 1
            for _ in 0..<copies {
                let range = faults.webhookDelayMilliseconds
                let delay = range.lowerBound == range.upperBound ? range.lowerBound : Int64.random(in: range, using: &faultRandom)
                pendingDeliveries.append(WebhookDelivery(
                    address: sub.address, topic: topic, deliveryID: webhookID, headers: headers, body: body,
                    dueAtMilliseconds: nowPrecise + delay))
            }
        }
    }

    /// Removes and returns due deliveries, oldest due first, maybe shuffled (reorder fault).
    mutating func takeDueWebhooks() -> [WebhookDelivery] {
        let t = nowPrecise
        var due: [WebhookDelivery] = []
        var rest: [WebhookDelivery] = []
        for d in pendingDeliveries {
            if d.dueAtMilliseconds <= t { due.append(d) } else { rest.append(d) }
        }
        pendingDeliveries = rest
        // Stable sort by due time keeps creation order among equal times.
        due = due.enumerated().sorted { ($0.element.dueAtMilliseconds, $0.offset) < ($1.element.dueAtMilliseconds, $1.offset) }.map(\.element)
        if due.count > 1, faultRandom.chance(faults.webhookReorderProbability) {
            due.shuffle(using: &faultRandom)
        }
        return due
    }

    // MARK: REST

    func listWebhooks(_ request: StoreRequest) -> JSONValue {
        let topic = request.queryValue("topic")
        let address = request.queryValue("address")
        let list = webhooks.values.filter { (topic == nil || $0.topic == topic) && (address == nil || $0.address == address) }.sorted { $0.id < $1.id }
        return ["webhooks": .array(list.map { webhookJSON($0) })]
    }

    func webhookCount(_ request: StoreRequest) -> JSONValue {
        let topic = request.queryValue("topic")
        return ["count": .integer(webhooks.values.filter { topic == nil || $0.topic == topic }.count)]
    }

    func getWebhook(_ id: Int) throws -> JSONValue {
        guard let w = webhooks[id] else { throw Self.notFound() }
        return ["webhook": webhookJSON(w)]
    }

    mutating func createWebhook(_ input: [String: JSONValue]) throws -> JSONValue {
        guard let topic = input["topic"]?.string, !topic.isEmpty else { throw Self.unprocessable("topic", "can't be blank") }
        guard ShopifyTopics.all.contains(topic) else {
            throw Self.unprocessable("topic", "Invalid topic specified: \(topic). Topics allowed: \(ShopifyTopics.all.joined(separator: ", "))")
        }
        let address = try validatedAddress(input["address"])
        let format = input["format"]?.string ?? "json"
        guard format == "json" else { throw Self.unprocessable("format", "is not included in the list; only json is emulated") }
        if webhooks.values.contains(where: { $0.topic == topic && $0.address == address }) {
            throw Self.unprocessable("address", "for this topic has already been taken")
        }
        let t = now
        let w = ShopifyWebhookSubscription(id: newID(), topic: topic, address: address, format: format, createdAt: t, updatedAt: t)
        webhooks[w.id] = w
        return ["webhook": webhookJSON(w)]
    }

    mutating func updateWebhook(_ id: Int, _ input: [String: JSONValue]) throws -> JSONValue {
        guard var w = webhooks[id] else { throw Self.notFound() }
        if input["address"] != nil { w.address = try validatedAddress(input["address"]) }
        if let topic = input["topic"]?.string, topic != w.topic { throw Self.unprocessable("topic", "cannot be changed; delete and register again") }
        w.updatedAt = now
        webhooks[id] = w
        return ["webhook": webhookJSON(w)]
    }

    mutating func deleteWebhook(_ id: Int) throws {
        guard webhooks.removeValue(forKey: id) != nil else { throw Self.notFound() }
    }

    private func validatedAddress(_ value: JSONValue?) throws -> String {
        guard let address = value?.string, !address.isEmpty else { throw Self.unprocessable("address", "can't be blank") }
        guard let url = URL(string: address), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw Self.unprocessable("address", "is invalid")
        }
        return address
    }
}
