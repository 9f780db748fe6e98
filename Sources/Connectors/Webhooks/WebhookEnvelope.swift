import Foundation
import SyncCore

/// The delivery headers of one webhook, parsed: what it is about and the id to deduplicate it by.
///
/// Shopify sends `X-Shopify-Hmac-Sha256`, `-Topic`, `-Shop-Domain`, `-API-Version`, `-Webhook-Id`,
/// `-Triggered-At`, `-Event-Id` (newer deliveries also without the `X-` prefix); WooCommerce sends
/// `X-WC-Webhook-Source`, `-Topic`, `-Resource`, `-Event`, `-Signature`, `-ID`, `-Delivery-ID`.
/// Header names are matched case-insensitively. A WooCommerce ping (form body `webhook_id=N`, no
/// signature, no `X-WC-*` headers) parses as ``isPing`` with ``webhookID`` `N`.
public struct WebhookEnvelope: Sendable, Hashable {
    public var platform: WebhookPlatform
    /// Whether this is WooCommerce's unsigned creation ping, to be answered 200 and otherwise ignored.
    public var isPing: Bool
    /// `customers/update` (Shopify) or `customer.updated` (WooCommerce); `nil` only for a ping.
    public var topic: String?
    /// The id to deduplicate deliveries by: Shopify's webhook id (same on retries), else its event id;
    /// WooCommerce's delivery id. `nil` if the store sent none.
    public var deliveryID: String?
    /// Shopify's `X-Shopify-Event-Id` (shared by duplicates of one event).
    public var eventID: String?
    /// Shopify's `X-Shopify-Webhook-Id`, WooCommerce's `X-WC-Webhook-ID` (the subscription), or the ping's id.
    public var webhookID: String?
    /// Shopify's shop domain or WooCommerce's site URL.
    public var source: String?
    /// Shopify's `X-Shopify-API-Version`.
    public var apiVersion: String?
    /// Shopify's `X-Shopify-Triggered-At` as sent.
    public var triggeredAt: String?
    /// ``triggeredAt`` in milliseconds since the epoch, when it parses.
    public var triggeredAtMilliseconds: Int64?
    /// WooCommerce's `X-WC-Webhook-Resource` (`order`) and `-Event` (`updated`).
    public var resource: String?
    public var event: String?
    /// The signature header as sent.
    public var signature: String?

    public init(
        platform: WebhookPlatform, isPing: Bool = false, topic: String? = nil, deliveryID: String? = nil,
        eventID: String? = nil, webhookID: String? = nil, source: String? = nil, apiVersion: String? = nil,
        triggeredAt: String? = nil, resource: String? = nil, event: String? = nil, signature: String? = nil
    ) {
        self.platform = platform
        self.isPing = isPing
        self.topic = topic
        self.deliveryID = deliveryID
        self.eventID = eventID
        self.webhookID = webhookID
        self.source = source
        self.apiVersion = apiVersion
        self.triggeredAt = triggeredAt
        self.triggeredAtMilliseconds = triggeredAt.flatMap(ISO8601Time.parse)
        self.resource = resource
        self.event = event
        self.signature = signature
    }

    /// Parses the headers (and, to recognise a ping, the body) without checking the signature.
    ///
    /// Throws ``WebhookError/Code/missingHeader`` when a non-ping delivery has no topic.
    public static func parse(platform: WebhookPlatform, headers: HeaderFields, body: Data) throws -> WebhookEnvelope {
        switch platform {
        case .shopify:
            func header(_ suffix: String) -> String? {
                nonEmpty(headers["X-Shopify-" + suffix]) ?? nonEmpty(headers["Shopify-" + suffix])
            }
            guard let topic = header("Topic") else {
                throw WebhookError(code: .missingHeader, message: "the Shopify delivery has no X-Shopify-Topic header; it is not a webhook we can process")
            }
            let webhookID = header("Webhook-Id"), eventID = header("Event-Id")
            return WebhookEnvelope(
                platform: .shopify, topic: topic, deliveryID: webhookID ?? eventID, eventID: eventID,
                webhookID: webhookID, source: header("Shop-Domain"), apiVersion: header("API-Version"),
                triggeredAt: header("Triggered-At"), signature: header("Hmac-Sha256"))
        case .wooCommerce:
            func header(_ suffix: String) -> String? { nonEmpty(headers["X-WC-Webhook-" + suffix]) }
            let signature = header("Signature")
            if signature == nil, let pingID = pingWebhookID(body) {
                return WebhookEnvelope(platform: .wooCommerce, isPing: true, webhookID: pingID, source: header("Source"))
            }
            guard let topic = header("Topic") else {
                throw WebhookError(code: .missingHeader, message: "the WooCommerce delivery has no X-WC-Webhook-Topic header; it is not a webhook we can process")
            }
            return WebhookEnvelope(
                platform: .wooCommerce, topic: topic, deliveryID: header("Delivery-ID"), webhookID: header("ID"),
                source: header("Source"), resource: header("Resource"), event: header("Event"), signature: signature)
        }
    }

    /// `N` if `body` is exactly the form `webhook_id=N` (N decimal), as WooCommerce's ping sends.
    static func pingWebhookID(_ body: Data) -> String? {
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let items = QueryItem.parseQuery(Substring(text))
        guard items.count == 1, items[0].name == "webhook_id", !items[0].value.isEmpty,
              items[0].value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 })
        else { return nil }
        return items[0].value
    }

    private static func nonEmpty(_ s: String?) -> String? {
        guard let t = s?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
        return t
    }
}
