import Connectors
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import SyncCore
import Testing

/// A store that answers a byte at a time is cut off at the request's deadline, not followed for as
/// long as it trickles (docs/configuration.md, `request_deadline_seconds`).
@Suite("Transport deadline over loopback")
struct TransportDeadlineTests {
    @Test("an answer trickling a byte every 250 ms for 30 s is cut off by the 2 s deadline, with the setting to raise named")
    func tricklingAnswerHitsTheDeadline() async throws {
        // Bytes keep coming (never 1 s of silence), so only the deadline can end the request before the
        // whole answer has arrived; without it the request succeeds after 30 s. No timing is asserted:
        // the outcome says which ended it.
        let server = try TrickleServer(byteIntervalMilliseconds: 250, bytes: 120)
        let transport = URLSessionTransport(origin: "http://127.0.0.1:\(server.port)", timeoutSeconds: 1, deadlineSeconds: 2,
                                            logger: Logger(label: "deadline-test"))
        let error = await #expect(throws: StoreAPIError.self) {
            _ = try await transport.send(StoreRequest(method: .get, path: "/wp-json/wc/v3/customers"))
        }
        #expect(error?.code == .timeout)
        #expect(error?.message.contains("request_deadline_seconds") == true, "\(String(describing: error))")
        server.stop()
    }
}

/// A one-connection HTTP server on 127.0.0.1 that sends its headers, then its body a byte at a time.
/// It stops by itself after `bytes` bytes or at `stop()`.
final class TrickleServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let stopped = NSLock()
    private var isStopped = false

    init(byteIntervalMilliseconds: Int, bytes: Int) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 4) == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in
            let client = accept(fd, nil, nil)
            guard client >= 0 else { return }
            defer { close(client) }
            var buffer = [UInt8](repeating: 0, count: 4096)
            _ = read(client, &buffer, buffer.count)
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(bytes)\r\n\r\n"
            _ = head.withCString { write(client, $0, strlen($0)) }
            for _ in 0..<bytes where !self.stoppedNow {
                usleep(useconds_t(byteIntervalMilliseconds * 1000))
                var space: UInt8 = 0x20
                if write(client, &space, 1) != 1 { return }
            }
        }
    }

    private var stoppedNow: Bool { stopped.withLock { isStopped } }

    func stop() {
        stopped.withLock { isStopped = true }
        close(listener)
    }
}
