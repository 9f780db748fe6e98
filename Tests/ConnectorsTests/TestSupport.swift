import Connectors
import Foundation
import Logging
import Synchronization
import SyncCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A sleeper that does not wait: it advances a `ManualClock` and records every delay.
final class ManualClockSleeper: StoreSleeper, @unchecked Sendable {
    let clock: ManualClock
    private let recorded = Mutex<[Int64]>([])

    init(clock: ManualClock) { self.clock = clock }

    var sleeps: [Int64] { recorded.withLock { $0 } }

    func sleep(milliseconds: Int64) async throws {
        recorded.withLock { $0.append(milliseconds) }
        clock.advance(by: max(0, milliseconds))
    }
}

/// A transport that answers from a script and records what it was sent.
final class ScriptedTransport: StoreTransport, @unchecked Sendable {
    enum Step: Sendable {
        case respond(StoreResponse)
        case fail(StoreAPIError.Code)
    }

    private let state: Mutex<(steps: [Step], requests: [StoreRequest])>

    init(_ steps: [Step]) { state = Mutex((steps, [])) }

    var requests: [StoreRequest] { state.withLock { $0.requests } }

    func send(_ request: StoreRequest) async throws -> StoreResponse {
        let step = state.withLock { s -> Step? in
            s.requests.append(request)
            return s.steps.isEmpty ? nil : s.steps.removeFirst()
        }
        switch step {
        case .respond(let response):
            return response
        case .fail(let code):
            throw StoreAPIError(code: code, method: request.method, path: request.path, message: "scripted \(code.rawValue)")
        case nil:
            return StoreResponse(status: 200, body: Data("{}".utf8))
        }
    }
}

func testLogger(_ label: String = "connectors-tests") -> Logger {
    var logger = Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() })
    logger.logLevel = .critical
    return logger
}

/// A minimal HTTP/1.1 server on 127.0.0.1 (ephemeral port) for transport tests that need bytes the
/// emulators never send (a gzip body) or a peer that never answers.
///
/// Each accepted connection is read up to the end of its headers, recorded, and answered by `reply`:
/// raw response bytes, or `nil` to stall for `stallSeconds` and close.
final class RawHTTPServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let received = Mutex<[String]>([])
    private let stopped = Atomic<Bool>(false)

    init(stallSeconds: Double = 2, reply: @escaping @Sendable (String) -> [UInt8]?) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var actual = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        port = Int(UInt16(bigEndian: actual.sin_port))
        listener = fd
        let thread = Thread { [self] in
            while !stopped.load(ordering: .relaxed) {
                let client = accept(fd, nil, nil)
                if client < 0 { break }
                let handler = Thread { [self] in
                    let head = Self.readHead(client)
                    received.withLock { $0.append(head) }
                    if let bytes = reply(head) {
                        _ = bytes.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
                    } else {
                        Thread.sleep(forTimeInterval: stallSeconds)
                    }
                    close(client)
                }
                handler.start()
            }
        }
        thread.start()
    }

    /// The request heads received so far (request line and headers).
    var requests: [String] { received.withLock { $0 } }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private static func readHead(_ fd: Int32) -> String {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while data.count < 65_536 {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
            if let text = String(bytes: data, encoding: .utf8), text.contains("\r\n\r\n") { break }
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A complete HTTP/1.1 response with `Content-Length` and `Connection: close`.
    static func response(status: Int, headers: [(String, String)], body: [UInt8]) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Status")\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        return Array(head.utf8) + body
    }
}
