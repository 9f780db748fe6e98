import Connectors
import Foundation
import Logging
import SyncCore
import SyncDriver

/// Registers the webhook topics the daemon processes with each store (`--register-webhooks URL`).
///
/// Existing subscriptions with the same topic and address are left alone, so registering on every
/// start is safe. Deliveries go to `{baseURL}/webhooks/{shopify|woocommerce}/{store}`.
public enum WebhookRegistration {
    /// Shopify topics the inbox processes.
    public static let shopifyTopics = ["customers/create", "customers/update", "customers/delete",
                                       "products/create", "products/update", "products/delete",
                                       "orders/create", "orders/updated", "orders/paid", "orders/cancelled"]
    /// WooCommerce topics the inbox processes.
    public static let wooCommerceTopics = ["customer.created", "customer.updated", "customer.deleted",
                                           "product.created", "product.updated", "product.deleted",
                                           "order.created", "order.updated"]

    /// The address a store's deliveries are sent to.
    public static func address(baseURL: String, store: String, kind: StoreKind) -> String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/webhooks/\(kind.rawValue)/\(store)"
    }

    /// Registers the missing topics with one store; returns the topics newly registered.
    ///
    /// `secret` is the webhook secret WooCommerce signs with (Shopify signs with the app secret it
    /// already has, so it is not sent). Throws ``DaemonError`` (`registration_failed`) with the store's answer.
    public static func register(_ ep: StoreEndpoint, baseURL: String, secret: String) async throws -> [String] {
        let address = address(baseURL: baseURL, store: ep.link, kind: ep.kind)
        do {
            switch ep.kind {
            case .shopify:
                let listed = try JSONValue.parse(try await ep.transport.send(ep.shopify.webhooks()).body)
                let existing = Set((listed["webhooks"]?.array ?? []).compactMap { w -> String? in
                    w["address"]?.string == address ? w["topic"]?.string : nil
                })
                var added: [String] = []
                for topic in shopifyTopics where !existing.contains(topic) {
                    _ = try await ep.transport.send(ep.shopify.registerWebhook(topic: topic, address: address))
                    added.append(topic)
                }
                return added
            case .woocommerce:
                let listed = try JSONValue.parse(try await ep.transport.send(ep.wooCommerce.webhooks()).body)
                let existing = Set((listed.array ?? []).compactMap { w -> String? in
                    w["delivery_url"]?.string == address && w["status"]?.string != "disabled" ? w["topic"]?.string : nil
                })
                var added: [String] = []
                for topic in wooCommerceTopics where !existing.contains(topic) {
                    _ = try await ep.transport.send(ep.wooCommerce.createWebhook(name: "OordenSync \(topic)", topic: topic,
                                                                                 deliveryURL: address, secret: secret))
                    added.append(topic)
                }
                return added
            }
        } catch let error as StoreAPIError {
            throw DaemonError(code: .registrationFailed, message: "store \(ep.link) refused to register webhooks to \(address): \(error.message)")
        } catch let error as DaemonError {
            throw error
        } catch {
            throw DaemonError(code: .registrationFailed, message: "store \(ep.link) could not register webhooks to \(address): \(error)")
        }
    }
}
