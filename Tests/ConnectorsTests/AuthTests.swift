import Connectors
import Foundation
import SyncCore
import Testing

@Suite("Credentials and request signing")
struct AuthTests {
    // Expected signatures computed independently (Python hmac/hashlib, urllib.parse.quote(safe="")).
    static let sha256Vector = "HM7YTBTEPdlJIZEmJYSGCgIhBEq6kjrmFsGWuaXCG3k="
    static let sha1Vector = "HLwQjWi2W+vKR+CLFPgXfwLKIg8="
    static let baseStringVector = "GET&http%3A%2F%2F127.0.0.1%3A8082%2Fwp-json%2Fwc%2Fv3%2Fproducts&modified_after%3D2026-11-29T10%253A00%253A05%26oauth_consumer_key%3Dck_test%26oauth_nonce%3Dabc123%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1796050805%26per_page%3D100%26search%3Dcaf%25C3%25A9%2520%2526%2520co"

    private var productsRequest: StoreRequest {
        StoreRequest(method: .get, path: "/wp-json/wc/v3/products", query: [
            QueryItem("per_page", "100"), QueryItem("modified_after", "2026-11-29T10:00:05"), QueryItem("search", "café & co"),
        ])
    }

    @Test("OAuth 1.0a HMAC-SHA256 matches an independently computed signature")
    func oauthSHA256() throws {
        let signer = OAuth1Signer(consumerKey: "ck_test", consumerSecret: "cs_secret", method: .hmacSHA256)
        let signed = signer.sign(productsRequest, siteURL: "http://127.0.0.1:8082/", timestamp: "1796050805", nonce: "abc123")
        #expect(signed.queryValue("oauth_signature") == Self.sha256Vector)
        #expect(signed.queryValue("oauth_signature_method") == "HMAC-SHA256")
        #expect(signed.queryValue("oauth_consumer_key") == "ck_test")
        #expect(signed.queryValue("oauth_version") == nil)
        let base = OAuth1Signer.baseString(
            method: "GET", url: "http://127.0.0.1:8082/wp-json/wc/v3/products",
            parameters: signed.query)
        #expect(base == Self.baseStringVector)
        // The original parameters keep their order, ahead of the OAuth ones.
        #expect(signed.query.prefix(3).map(\.name) == ["per_page", "modified_after", "search"])
    }

    @Test("OAuth 1.0a HMAC-SHA1 matches an independently computed signature")
    func oauthSHA1() {
        let signer = OAuth1Signer(consumerKey: "ck_test", consumerSecret: "cs_secret", method: .hmacSHA1)
        let signed = signer.sign(productsRequest, siteURL: "http://127.0.0.1:8082", timestamp: "1796050805", nonce: "abc123")
        #expect(signed.queryValue("oauth_signature") == Self.sha1Vector)
    }

    @Test("the body is not signed")
    func bodyNotSigned() {
        let signer = OAuth1Signer(consumerKey: "ck", consumerSecret: "cs")
        var a = StoreRequest(method: .post, path: "/wp-json/wc/v3/customers")
        var b = a
        a.body = Data(#"{"email":"a@example.com"}"#.utf8)
        b.body = Data(#"{"email":"b@example.com"}"#.utf8)
        let sa = signer.sign(a, siteURL: "http://s", timestamp: "1", nonce: "n").queryValue("oauth_signature")
        let sb = signer.sign(b, siteURL: "http://s", timestamp: "1", nonce: "n").queryValue("oauth_signature")
        #expect(sa != nil && sa == sb)
    }

    @Test("WooCommerce OAuth takes its timestamp from the clock and its nonce from the seed")
    func wooOAuthDeterministic() {
        let credentials = Connectors.WooCommerceCredentials(consumerKey: "ck_a", consumerSecret: "cs_b", mode: .oauth1())
        var r1 = SeededRandom(seed: 42), r2 = SeededRandom(seed: 42)
        let request = StoreRequest(method: .get, path: "/wp-json/wc/v3/orders")
        let a = credentials.authorize(request, siteURL: "http://127.0.0.1:8082", nowMilliseconds: 1_796_050_805_999, random: &r1)
        let b = credentials.authorize(request, siteURL: "http://127.0.0.1:8082", nowMilliseconds: 1_796_050_805_999, random: &r2)
        #expect(a == b)
        #expect(a.queryValue("oauth_timestamp") == "1796050805")
        #expect(a.queryValue("oauth_nonce")?.count == 32)
        let c = credentials.authorize(request, siteURL: "http://127.0.0.1:8082", nowMilliseconds: 1_796_050_805_999, random: &r1)
        #expect(c.queryValue("oauth_nonce") != a.queryValue("oauth_nonce"))
        // Re-authorizing replaces the earlier parameters instead of piling them up.
        let again = credentials.authorize(a, siteURL: "http://127.0.0.1:8082", nowMilliseconds: 1_796_050_806_000, random: &r1)
        #expect(again.query.filter { $0.name.hasPrefix("oauth_") }.count == 5)
        #expect(again.queryValue("oauth_timestamp") == "1796050806")
    }

    @Test("WooCommerce Basic and query-string modes")
    func wooBasicAndQuery() {
        var rng = SeededRandom(seed: 1)
        let request = StoreRequest(method: .get, path: "/wp-json/wc/v3/customers")
        let basic = Connectors.WooCommerceCredentials(consumerKey: "ck_1", consumerSecret: "cs_2", mode: .basic)
            .authorize(request, siteURL: "https://shop.example", nowMilliseconds: 0, random: &rng)
        #expect(basic.headers["Authorization"] == "Basic " + Data("ck_1:cs_2".utf8).base64EncodedString())
        #expect(basic.query.isEmpty)
        let query = Connectors.WooCommerceCredentials(consumerKey: "ck_1", consumerSecret: "cs_2", mode: .queryString)
            .authorize(request, siteURL: "https://shop.example", nowMilliseconds: 0, random: &rng)
        #expect(query.queryValue("consumer_key") == "ck_1")
        #expect(query.queryValue("consumer_secret") == "cs_2")
        #expect(query.headers["Authorization"] == nil)
        #expect(Connectors.WooCommerceCredentials.defaultMode(forSiteURL: "https://a.example") == .basic)
        #expect(Connectors.WooCommerceCredentials.defaultMode(forSiteURL: "http://127.0.0.1:8082") == .oauth1(.hmacSHA256))
    }

    @Test("Shopify access token and legacy private-app Basic")
    func shopify() {
        let request = StoreRequest(method: .get, path: "/admin/api/2024-10/shop.json")
        let token = ShopifyCredentials.accessToken("shpat_abc").authorize(request)
        #expect(token.headers["x-shopify-access-token"] == "shpat_abc")
        #expect(token.headers["Authorization"] == nil)
        let privateApp = ShopifyCredentials.privateApp(apiKey: "key", password: "pass").authorize(token)
        #expect(privateApp.headers["Authorization"] == "Basic a2V5OnBhc3M=")
        #expect(privateApp.headers["X-Shopify-Access-Token"] == nil)
    }

    @Test("credentials never print their secrets")
    func redacted() {
        let shopify = ShopifyCredentials.privateApp(apiKey: "key_123", password: "pass_456")
        let woo = Connectors.WooCommerceCredentials(consumerKey: "ck_789", consumerSecret: "cs_000", mode: .oauth1(.hmacSHA1))
        var dumped = ""
        dump(shopify, to: &dumped)
        dump(woo, to: &dumped)
        for text in ["\(shopify)", String(reflecting: shopify), "\(woo)", String(reflecting: woo), "\(StoreCredentials.wooCommerce(woo))", dumped] {
            for secret in ["key_123", "pass_456", "ck_789", "cs_000"] {
                #expect(!text.contains(secret), "\(secret) leaked in \(text)")
            }
        }
        #expect("\(woo)".contains("oauth1(HMAC-SHA1)"))
    }
}
