import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import StoreEmulators
import Synchronization
import SyncCore
import Testing

/// A receiver that records every request, to catch webhook deliveries over HTTP.
final class RecordingEmulator: StoreEmulator {
    let received = Mutex<[StoreRequest]>([])
    private let plan = Mutex(FaultPlan())

    func handle(_ request: StoreRequest) -> EmulatorReply {
        received.withLock { $0.append(request) }
        return .response(StoreResponse(status: 200))
    }

    func takeDueWebhooks() -> [WebhookDelivery] { [] }

    var faults: FaultPlan {
        get { plan.withLock { $0 } }
        set { plan.withLock { $0 = newValue } }
    }
}

@Suite struct EmulatorServerTests {
    @Test func servesTheEmulatorOverLoopbackAndDeliversWebhooks() async throws {
        let logger = Logger(label: "test.emulator-server")
        let receiver = RecordingEmulator()
        let receiverServer = EmulatorServer(emulator: receiver, logger: logger)
        let receiverPort = try await receiverServer.start()

        let shop = ShopifyEmulator(seed: 9, clock: SystemWallClock())
        shop.seed(customers: 3, products: 0, orders: 0)
        try shop.registerWebhook(topic: "customers/create", address: "http://127.0.0.1:\(receiverPort)/webhooks/shopify")
        let server = EmulatorServer(emulator: shop, logger: logger)
        let port = try await server.start()
        #expect(port > 0)
        #expect(server.port == port)

        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/admin/api/2024-10/customers.json?limit=2")!)
        request.setValue(shop.credentials.accessToken, forHTTPHeaderField: "X-Shopify-Access-Token")
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 200)
        let json = try JSONValue.parse(data)
        #expect(json["customers"]?.array?.count == 2)
        let link = try #require(http.value(forHTTPHeaderField: "Link"))
        #expect(link.hasPrefix("<http://127.0.0.1:\(port)/admin/api/2024-10/customers.json?page_info="))
        #expect(http.value(forHTTPHeaderField: "X-Shopify-Shop-Api-Call-Limit") == "1/40")

        var post = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/admin/api/2024-10/customers.json")!)
        post.httpMethod = "POST"
        post.setValue(shop.credentials.accessToken, forHTTPHeaderField: "X-Shopify-Access-Token")
        post.httpBody = Data(#"{"customer":{"email":"red@example.mx","first_name":"Red"}}"#.utf8)
        let (_, created) = try await URLSession.shared.data(for: post)
        #expect((created as? HTTPURLResponse)?.statusCode == 201)

        var delivered: [StoreRequest] = []
        for _ in 0..<200 {
            delivered = receiver.received.withLock { $0 }
            if !delivered.isEmpty { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let hook = try #require(delivered.first)
        #expect(hook.method == .post)
        #expect(hook.path == "/webhooks/shopify")
        #expect(hook.headers["X-Shopify-Topic"] == "customers/create")
        #expect(try JSONValue.parse(hook.body)["email"] == "red@example.mx")

        await server.stop()
        await receiverServer.stop()
        #expect(server.port == nil)
    }

    @Test func timeoutReplyHoldsThenAnswers504() async throws {
        let shop = ShopifyEmulator(seed: 1, clock: SystemWallClock())
        var plan = FaultPlan()
        plan.timeoutNextRequests = 1
        shop.faults = plan
        var configuration = EmulatorServer.Configuration()
        configuration.timeoutHoldSeconds = 0.2
        let server = EmulatorServer(emulator: shop, configuration: configuration, logger: Logger(label: "test.timeout"))
        let port = try await server.start()
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/admin/api/2024-10/shop.json")!)
        request.setValue(shop.credentials.accessToken, forHTTPHeaderField: "X-Shopify-Access-Token")
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 504)
        let (_, second) = try await URLSession.shared.data(for: request)
        #expect((second as? HTTPURLResponse)?.statusCode == 200)
        await server.stop()
    }

    @Test func busyPortAndDoubleStartAreErrors() async throws {
        let logger = Logger(label: "test.busy")
        let first = EmulatorServer(emulator: RecordingEmulator(), logger: logger)
        let port = try await first.start()
        await #expect(throws: EmulatorServer.StartError.self) { try await first.start() }
        let second = EmulatorServer(emulator: RecordingEmulator(), port: port, logger: logger)
        await #expect(throws: EmulatorServer.StartError.self) { try await second.start() }
        #expect(second.port == nil)
        await first.stop()
        await first.stop()
    }
}
