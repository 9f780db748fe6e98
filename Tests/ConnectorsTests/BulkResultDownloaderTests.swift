import Foundation
import Testing
@testable import Connectors
@testable import SyncCore

/// The production download of a bulk result over real HTTP (a raw server on 127.0.0.1): the body
/// lands in a file private to its owner, nothing of the shop's credentials is sent, and a refusal or
/// a body cut short is an error that says so.
@Suite("Bulk result downloads")
struct BulkResultDownloaderTests {
    static func target(_ name: String = #function) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("bulk-download-\(getpid())-\(name.filter(\.isLetter)).jsonl")
    }

    @Test("a 200 body is written to a file readable by its owner only; the request carries no credentials")
    func downloads() async throws {
        let body = Array((1...2_000).map { #"{"id":"gid://shopify/Customer/\#($0)"}"# }.joined(separator: "\n").utf8)
        let server = try RawHTTPServer { _ in RawHTTPServer.response(status: 200, headers: [("Content-Type", "application/jsonl")], body: body) }
        defer { server.stop() }
        let file = Self.target()
        defer { try? FileManager.default.removeItem(at: file) }
        let written = try await URLSessionBulkDownloader(timeoutSeconds: 5).download("http://127.0.0.1:\(server.port)/bulk/1.jsonl?sig=abc", to: file)
        #expect(written == Int64(body.count))
        #expect(try Data(contentsOf: file) == Data(body))
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let head = try #require(server.requests.first).lowercased()
        #expect(head.hasPrefix("get /bulk/1.jsonl?sig=abc "))
        #expect(!head.contains("authorization") && !head.contains("x-shopify-access-token"), "\(head)")
    }

    @Test("a 403 (an expired link) is a forbidden error naming the status; nothing is kept")
    func expired() async throws {
        let server = try RawHTTPServer { _ in RawHTTPServer.response(status: 403, headers: [], body: Array("<Error><Code>ExpiredToken</Code></Error>".utf8)) }
        defer { server.stop() }
        let file = Self.target()
        defer { try? FileManager.default.removeItem(at: file) }
        await #expect {
            _ = try await URLSessionBulkDownloader(timeoutSeconds: 5).download("http://127.0.0.1:\(server.port)/bulk/1.jsonl", to: file)
        } throws: { error in
            guard let error = error as? StoreAPIError else { return false }
            return error.code == .forbidden && error.message.contains("403") && error.storeMessage?.contains("ExpiredToken") == true
        }
        #expect(((try? Data(contentsOf: file)) ?? Data()).isEmpty)
    }

    @Test("a body cut short of its Content-Length is a transport error, not a short file taken as whole")
    func cutShort() async throws {
        let server = try RawHTTPServer { _ in
            Array("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n{\"id\":\"gid://shopify/Customer/1\"}\n".utf8)
        }
        defer { server.stop() }
        let file = Self.target()
        defer { try? FileManager.default.removeItem(at: file) }
        await #expect {
            _ = try await URLSessionBulkDownloader(timeoutSeconds: 5).download("http://127.0.0.1:\(server.port)/bulk/1.jsonl", to: file)
        } throws: { error in
            (error as? StoreAPIError)?.code == .transport || (error as? StoreAPIError)?.code == .timeout
        }
    }

    @Test("a URL that is not http(s) is refused before anything is sent")
    func notHTTP() async throws {
        await #expect(throws: StoreAPIError.self) {
            _ = try await URLSessionBulkDownloader().download("file:///etc/passwd", to: Self.target())
        }
    }
}
