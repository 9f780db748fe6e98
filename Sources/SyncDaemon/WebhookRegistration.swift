import Connectors
import Foundation
import Logging
import SyncCore
import SyncDriver

/// Registers the webhook topics the daemon processes with each store (`--register-webhooks URL`), and
/// keeps them working (``upkeep(_:plan:)``, every reconciliation pass).
///
/// Existing subscriptions with the same topic and address are left alone, so registering on every
/// start is safe. Deliveries go to `{baseURL}/webhooks/{shopify|woocommerce}/{store}`.
///
/// Why upkeep: WooCommerce never retries a failed delivery and disables a webhook (`status: disabled`)
/// after more than 5 consecutive failures, so a few minutes of daemon downtime would otherwise stop
/// every delivery until someone noticed; Shopify removes subscriptions that keep failing.
public enum WebhookRegistration {

    /// What the daemon needs to keep one deployment's subscriptions: the public base URL when it was
    /// given (`--register-webhooks`), and each WooCommerce store's webhook secret (to re-create one).
    public struct Plan: Sendable {
        /// `https://sync.example.mx`; nil: only subscriptions the store already has to this daemon's
        /// receiver path (`…/webhooks/{kind}/{store}`) are re-activated, and missing topics are created
        /// at the address those use.
        public var baseURL: String?
        /// Store name → the WooCommerce webhook secret deliveries are signed with.
        public var wooCommerceSecrets: [String: String]

        public init(baseURL: String?, wooCommerceSecrets: [String: String] = [:]) {
            self.baseURL = baseURL
            self.wooCommerceSecrets = wooCommerceSecrets
        }
    }

    /// What ``upkeep(_:plan:)`` did for one store.
    public struct Upkeep: Sendable, Hashable {
        /// Topics whose disabled subscription was re-activated (WooCommerce `PUT webhooks/{id} {"status": "active"}`).
        public var reactivated: [String] = []
        /// Topics that had no subscription and were registered.
        public var created: [String] = []
        /// Topics missing that could not be registered: no address is known (no base URL, and the store
        /// has no other subscription to this daemon).
        public var unaddressed: [String] = []

        public init() {}

        /// Subscriptions brought back (re-activated or re-created).
        public var repaired: Int { reactivated.count + created.count }
    }

    /// The address a store's deliveries are sent to.
    public static func address(baseURL: String, store: String, kind: StoreKind) -> String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/webhooks/\(kind.rawValue)/\(store)"
    }

    /// The receiver's path for a store, which every address of this daemon ends with.
    public static func receiverPath(store: String, kind: StoreKind) -> String {
        "/webhooks/\(kind.rawValue)/\(store)"
    }

    /// Registers the missing topics with one store (re-activating disabled WooCommerce subscriptions
    /// rather than adding second ones); returns the topics newly registered or re-activated.
    ///
    /// `secret` is the webhook secret WooCommerce signs with (Shopify signs with the app secret it
    /// already has, so it is not sent). Throws ``DaemonError`` (`registration_failed`) with the store's answer.
    package static func register(_ platform: any StorePlatform, baseURL: String, secret: String) async throws -> [String] {
        let done = try await upkeep(platform, plan: Plan(baseURL: baseURL, wooCommerceSecrets: [platform.store: secret]))
        return done.created + done.reactivated
    }

    /// Checks one store's subscriptions to this daemon and repairs them: a WooCommerce subscription
    /// the store disabled is re-activated; a topic with no subscription is registered at the plan's
    /// address (or the address the store's other subscriptions to this daemon use). A WooCommerce
    /// subscription a merchant *paused* is left alone (and reported by `doctor`).
    ///
    /// Throws ``DaemonError`` (`registration_failed`) with the store's answer.
    package static func upkeep(_ platform: any StorePlatform, plan: Plan) async throws -> Upkeep {
        let store = platform.store
        let path = receiverPath(store: store, kind: platform.kind)
        let wanted = plan.baseURL.map { address(baseURL: $0, store: store, kind: platform.kind) }
        do {
            let listed = try await platform.webhookSubscriptions()
            // Ours: at the plan's address, or (no base URL) at any address ending with our receiver path.
            let ours = listed.filter { sub in
                if let wanted { return sub.address == wanted }
                return sub.address.hasSuffix(path)
            }
            let target = wanted ?? ours.first?.address
            var done = Upkeep()
            for topic in platform.format.webhookTopics {
                let subscribed = ours.filter { $0.topic == topic }
                // Shopify's have no status (always active); a paused one is the merchant's choice.
                if subscribed.contains(where: { ($0.status ?? "active") != "disabled" }) { continue }
                if let disabled = subscribed.first(where: { $0.status == "disabled" }) {
                    try await platform.reactivate(disabled)
                    done.reactivated.append(topic)
                    continue
                }
                guard let target else {
                    done.unaddressed.append(topic)
                    continue
                }
                try await platform.subscribe(topic: topic, address: target, secret: plan.wooCommerceSecrets[store] ?? "")
                done.created.append(topic)
            }
            return done
        } catch let error as StoreAPIError {
            throw DaemonError(code: .registrationFailed, message: "store \(store) refused a webhook subscription change for …\(path): \(error.message)")
        } catch let error as DaemonError {
            throw error
        } catch {
            throw DaemonError(code: .registrationFailed, message: "store \(store) could not check its webhooks for …\(path): \(error)")
        }
    }
}
