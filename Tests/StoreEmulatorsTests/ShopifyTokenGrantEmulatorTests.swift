import Foundation
import StoreEmulators
import SyncCore
import Testing

/// The emulator's client-credentials grant (`POST /admin/oauth/access_token`): what it accepts, what
/// it refuses, and how long its tokens work on the emulator's clock.
@Suite struct ShopifyTokenGrantEmulatorTests {
    static func form(_ h: ShopifyHarness, grant: String = "client_credentials", id: String? = nil, secret: String? = nil) -> Data {
        let secret = (secret ?? h.shop.credentials.clientSecret).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        return Data("grant_type=\(grant)&client_id=\(id ?? h.shop.credentials.clientID)&client_secret=\(secret)".utf8)
    }

    static func grant(_ h: ShopifyHarness, body: Data, contentType: String = "application/x-www-form-urlencoded") -> ShopifyHarness.Reply {
        h.send(.post, "/admin/oauth/access_token", rawBody: body, headers: HeaderFields([("Content-Type", contentType)]))
    }

    @Test func aTokenWorksForItsLifetimeOnTheEmulatorsClockAndThenIsRefused() throws {
        let h = ShopifyHarness { $0.tokenLifetimeSeconds = 3_600 }
        let reply = Self.grant(h, body: Self.form(h))
        #expect(reply.status == 200)
        let token = try #require(reply.json["access_token"]?.string)
        #expect(token.hasPrefix("shpat_") && token != h.shop.credentials.accessToken)
        #expect(reply.json["expires_in"]?.int == 3_600)
        #expect(reply.json["scope"]?.string?.split(separator: ",").contains("write_inventory") == true)
        #expect(h.shop.tokensIssued == 1)

        let auth = HeaderFields([("X-Shopify-Access-Token", token)])
        #expect(h.send(.get, "shop.json", headers: auth).status == 200)
        h.clock.advance(by: 3_599_000)
        #expect(h.send(.get, "shop.json", headers: auth).status == 200)
        h.clock.advance(by: 1_000)
        let expired = h.send(.get, "shop.json", headers: auth)
        #expect(expired.status == 401)
        #expect(expired.json["errors"]?.string?.contains("Invalid API key or access token") == true)
        // The legacy custom app's static token never expires.
        #expect(h.send(.get, "shop.json").status == 200)
    }

    @Test func aJSONBodyIsAcceptedAsShopifysNodeLibrarySendsIt() {
        let h = ShopifyHarness()
        let body: JSONValue = ["grant_type": "client_credentials", "client_id": .string(h.shop.credentials.clientID),
                               "client_secret": .string(h.shop.credentials.clientSecret)]
        #expect(Self.grant(h, body: body.jsonData, contentType: "application/json").status == 200)
    }

    @Test func aWrongSecretOrGrantTypeIsAnOAuthErrorAndIssuesNothing() {
        let h = ShopifyHarness()
        let wrong = Self.grant(h, body: Self.form(h, secret: "shpss_wrong"))
        #expect(wrong.status == 400 && wrong.json["error"]?.string == "invalid_client")
        let unknownClient = Self.grant(h, body: Self.form(h, id: "someone-else"))
        #expect(unknownClient.status == 400 && unknownClient.json["error"]?.string == "invalid_client")
        let password = Self.grant(h, body: Self.form(h, grant: "password"))
        #expect(password.status == 400 && password.json["error"]?.string == "unsupported_grant_type")
        #expect(h.shop.tokensIssued == 0)
        #expect(h.send(.get, "/admin/oauth/access_token").status == 405)
    }

    @Test func theClientCredentialsComeFromTheSeedOrTheConfiguration() {
        let a = ShopifyHarness(seed: 3), b = ShopifyHarness(seed: 3), c = ShopifyHarness(seed: 4)
        #expect(a.shop.credentials.clientID == b.shop.credentials.clientID && a.shop.credentials.clientSecret == b.shop.credentials.clientSecret)
        #expect(a.shop.credentials.clientSecret != c.shop.credentials.clientSecret)
        let set = ShopifyHarness { $0.clientID = "app-123"; $0.clientSecret = "shpss_given" }
        #expect(set.shop.credentials.clientID == "app-123" && set.shop.credentials.clientSecret == "shpss_given")
    }
}
