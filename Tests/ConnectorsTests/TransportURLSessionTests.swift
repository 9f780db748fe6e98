import Connectors
import Foundation
import SyncCore
import Testing

@Suite("URLSessionTransport over loopback sockets")
struct TransportURLSessionTests {
    // gzip.compress(b'{"ok":true,"note":"decoded from gzip"}', mtime=0), from Python.
    static let gzipBody: [UInt8] = [
        31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 171, 86, 202, 207, 86, 178, 42, 41, 42, 77, 213, 81, 202, 203, 47, 73, 85,
        178, 82, 74, 73, 77, 206, 79, 73, 77, 81, 72, 43, 202, 207, 85, 72, 175, 202, 44, 80, 170, 5, 0, 78, 178, 156,
        153, 38, 0, 0, 0,
    ]

    @Test("asks for gzip, sends method, target and headers, and returns the decoded body")
    func gzipDecoded() async throws {
        let server = try RawHTTPServer { _ in
            RawHTTPServer.response(status: 200, headers: [
                ("Content-Type", "application/json"), ("Content-Encoding", "gzip"), ("X-Shopify-Shop-Api-Call-Limit", "1/40"),
            ], body: Self.gzipBody)
        }
        defer { server.stop() }
        let transport = URLSessionTransport(origin: "http://127.0.0.1:\(server.port)/", timeoutSeconds: 30, logger: testLogger())
        let request = StoreRequest(
            method: .get, path: "/admin/api/2024-10/customers.json",
            query: [QueryItem("query", "email:ana@example.com")], headers: ["X-Shopify-Access-Token": "shpat_x"])
        let response = try await transport.send(request)
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"ok":true,"note":"decoded from gzip"}"#)
        #expect(response.headers["x-shopify-shop-api-call-limit"] == "1/40")
        let head = try #require(server.requests.first)
        #expect(head.hasPrefix("GET /admin/api/2024-10/customers.json?query=email%3Aana%40example.com HTTP/1.1\r\n"))
        let lines = head.lowercased().split(separator: "\r\n")
        #expect(lines.contains { $0.hasPrefix("accept-encoding:") && $0.contains("gzip") })
        #expect(lines.contains("x-shopify-access-token: shpat_x"))
    }

    @Test("error statuses are returned as responses, not thrown")
    func errorStatusReturned() async throws {
        let server = try RawHTTPServer { _ in
            RawHTTPServer.response(status: 422, headers: [("Content-Type", "application/json")], body: Array(#"{"errors":{"email":["is invalid"]}}"#.utf8))
        }
        defer { server.stop() }
        let transport = URLSessionTransport(origin: "http://127.0.0.1:\(server.port)", timeoutSeconds: 30, logger: testLogger())
        let response = try await transport.send(StoreRequest(method: .post, path: "/admin/api/2024-10/customers.json", body: Data("{}".utf8)))
        #expect(response.status == 422)
        #expect(StoreErrorBody.parse(response.body).fieldErrors["email"] == ["is invalid"])
    }

    @Test("a peer that never answers is a timeout (sub-second timeouts round up to 1 s)")
    func timeout() async throws {
        let server = try RawHTTPServer(stallSeconds: 3) { _ in nil }
        defer { server.stop() }
        let transport = URLSessionTransport(origin: "http://127.0.0.1:\(server.port)", timeoutSeconds: 0.4, logger: testLogger())
        #expect(transport.timeoutSeconds == 1)
        let error = try await #require(throws: StoreAPIError.self) {
            try await transport.send(StoreRequest(method: .get, path: "/wp-json/wc/v3/orders", query: [QueryItem("consumer_secret", "cs_hidden")]))
        }
        #expect(error.code == .timeout)
        #expect(error.isRetryable)
        #expect(!error.description.contains("cs_hidden"))
    }

    @Test("a bad origin is an invalid request")
    func badOrigin() async throws {
        let transport = URLSessionTransport(origin: "not a url", timeoutSeconds: 1, logger: testLogger())
        let error = try await #require(throws: StoreAPIError.self) {
            try await transport.send(StoreRequest(method: .get, path: "/x"))
        }
        #expect(error.code == .invalidRequest)
    }
}
