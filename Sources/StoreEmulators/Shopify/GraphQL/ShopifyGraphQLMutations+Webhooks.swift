internal import GraphQL
import SyncCore

/// Webhook subscriptions over GraphQL: `webhookSubscriptions` and the create/update/delete
/// mutations, through the REST-side webhook functions. Deliveries keep their REST-shaped JSON
/// bodies, as Shopify sends for subscriptions made over GraphQL too.
extension ShopifyGraphQLMutations {
    /// `webhookSubscriptionCreate(topic:webhookSubscription:)` → `{ webhookSubscription userErrors }`.
    func webhookSubscriptionCreate(_ args: Map) -> ShopifyGraphQLObject {
        let input = ShopifyGraphQLInput.object(args["webhookSubscription"])
        let result = attempt(prefix: ["webhookSubscription"]) { s -> Int in
            var fields: [String: JSONValue] = ["topic": .string(ShopifyWebhookTopic.rest(args["topic"].string ?? "")), "address": input["uri"] ?? .null]
            if let format = input["format"]?.string { fields["format"] = .string(format.lowercased()) }
            return try s.createWebhook(fields)["webhook"]?["id"]?.int ?? 0
        }
        return webhookPayload(result)
    }

    /// `webhookSubscriptionUpdate(id:webhookSubscription:)` → `{ webhookSubscription userErrors }`.
    func webhookSubscriptionUpdate(_ args: Map) -> ShopifyGraphQLObject {
        let input = ShopifyGraphQLInput.object(args["webhookSubscription"])
        let result = attempt(prefix: ["webhookSubscription"]) { s -> Int in
            guard let id = ShopifyGlobalID.parse(args["id"].string, type: "WebhookSubscription"), s.webhooks[id] != nil else {
                throw ShopifyUserError(["id"], "Webhook subscription does not exist")
            }
            var fields: [String: JSONValue] = [:]
            if let uri = input["uri"] { fields["address"] = uri }
            _ = try s.updateWebhook(id, fields)
            return id
        }
        return webhookPayload(result)
    }

    /// `webhookSubscriptionDelete(id:)` → `{ deletedWebhookSubscriptionId userErrors }`.
    func webhookSubscriptionDelete(_ args: Map) -> ShopifyGraphQLObject {
        let result = attempt { s -> Int in
            guard let id = ShopifyGlobalID.parse(args["id"].string, type: "WebhookSubscription"), s.webhooks[id] != nil else {
                throw ShopifyUserError(["id"], "Webhook subscription does not exist")
            }
            try s.deleteWebhook(id)
            return id
        }
        return .values(["deletedWebhookSubscriptionId": (try? result.get()).map { ShopifyGlobalID.make("WebhookSubscription", $0) },
                        "userErrors": Self.objects(result)])
    }

    private func webhookPayload(_ result: Result<Int, ShopifyUserErrors>) -> ShopifyGraphQLObject {
        let view = self.view
        let renamed = result.mapError { errors in
            ShopifyUserErrors(errors.list.map { e in
                var e = e
                e.field = e.field?.map { $0 == "address" ? "uri" : $0 }
                e.message = e.message.replacingOccurrences(of: "Address", with: "Uri")
                return e
            })
        }
        return .values([
            "webhookSubscription": (try? result.get()).flatMap { view.shop.webhooks[$0] }.map(view.webhookSubscription),
            "userErrors": Self.objects(renamed),
        ])
    }
}

/// `WebhookSubscriptionTopic` values ↔ the REST topics the emulator delivers (`ORDERS_UPDATED` ↔ `orders/updated`).
enum ShopifyWebhookTopic {
    static func rest(_ graphQL: String) -> String {
        guard let i = graphQL.lastIndex(of: "_") else { return graphQL.lowercased() }
        return graphQL[..<i].lowercased() + "/" + graphQL[graphQL.index(after: i)...].lowercased()
    }

    static func graphQL(_ rest: String) -> String { rest.uppercased().replacingOccurrences(of: "/", with: "_") }

    /// The enum's values, in SDL.
    static var sdlValues: String { ShopifyTopics.all.map(graphQL).joined(separator: " ") }
}

extension ShopifyGraphQLRoot {
    /// `webhookSubscriptions(first:after:topics:uri:)`.
    func webhookSubscriptions(_ args: Map) throws -> ShopifyGraphQLObject {
        let topics = args["topics"].array?.compactMap { $0.string.map(ShopifyWebhookTopic.rest) }
        let uri = args["uri"].string
        let items = shop.webhooks.values.sorted { $0.id < $1.id }.filter { (topics?.contains($0.topic) ?? true) && (uri == nil || $0.address == uri) }
        return try ShopifyGraphQLConnection.page(items, id: \.id, args: args, node: webhookSubscription)
    }

    func webhookSubscription(_ w: ShopifyWebhookSubscription) -> ShopifyGraphQLObject {
        .values([
            "id": ShopifyGlobalID.make("WebhookSubscription", w.id), "legacyResourceId": String(w.id),
            "topic": Map.string(ShopifyWebhookTopic.graphQL(w.topic)), "uri": w.address, "format": Map.string(w.format.uppercased()),
            "createdAt": time(w.createdAt), "updatedAt": time(w.updatedAt),
        ])
    }
}
