import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPServing
import Hummingbird
import Logging
import Synchronization
import Testing

/// The name of the thread running the caller (a synchronous function: `Thread.current` is not for async code).
func currentThreadName() -> String { Thread.current.name ?? "" }

/// A blocking GET with a deadline: what a thread does when it cannot give itself back to the pool.
func blockingGet(_ url: URL, timeout: TimeInterval) -> Int? {
    let status = Mutex<Int?>(nil)
    let done = DispatchSemaphore(value: 0)
    var request = URLRequest(url: url)
    request.timeoutInterval = timeout
    URLSession.shared.dataTask(with: request) { _, response, _ in
        status.withLock { $0 = (response as? HTTPURLResponse)?.statusCode }
        done.signal()
    }.resume()
    _ = done.wait(timeout: .now() + timeout + 1)
    return status.withLock { $0 }
}

/// Holds `parties` threads until all have arrived (or `timeout` passed); says whether all did.
final class Barrier: Sendable {
    private let arrived = Mutex(0)
    private let parties: Int
    init(parties: Int) { self.parties = parties }

    func arriveAndWait(timeout: Duration) -> Bool {
        arrived.withLock { $0 += 1 }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while arrived.withLock({ $0 }) < parties {
            if clock.now > deadline { return false }
            usleep(1_000)
        }
        return true
    }
}

@Suite("HTTP servers on threads of their own")
struct HTTPServerHostTests {
    func pingServer(name: String) -> (HTTPServerHost, Router<BasicRequestContext>) {
        let router = Router(context: BasicRequestContext.self)
        router.get("ping") { _, _ in "pong" }
        return (HTTPServerHost(name: name, host: "127.0.0.1", port: 0, stopGrace: .milliseconds(250), logger: Logger(label: "test.\(name)")), router)
    }

    @Test("a task that prefers the executor, and its child tasks, run on the executor's named threads")
    func jobsRunOnTheExecutorsThreads() async {
        let executor = DedicatedThreadsExecutor(name: "test-executor", threads: 2)
        let names = await Task(executorPreference: executor) {
            await withTaskGroup(of: String.self) { group in
                for _ in 0..<8 { group.addTask { currentThreadName() } }
                var names = [currentThreadName()]
                for await name in group { names.append(name) }
                return names
            }
        }.value
        #expect(names.count == 9)
        let onExecutor = names.allSatisfy { $0 == "test-executor-0" || $0 == "test-executor-1" }
        #expect(onExecutor, "\(names)")
    }

    @Test("the server answers while every thread of the cooperative pool is blocked waiting for it")
    func answersWhileThePoolIsBlocked() async throws {
        let (host, router) = pingServer(name: "blocked-pool")
        let configuration = host.applicationConfiguration
        let bound = await host.start { onServerRunning in
            Application(router: router, configuration: configuration, onServerRunning: onServerRunning, logger: Logger(label: "test.blocked-pool"))
        }
        let port = try #require(bound)
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/ping"))
        // One task per pool thread; each holds its thread until all are held, then waits on a
        // blocking request. A server on the pool could not answer any of them.
        let threads = ProcessInfo.processInfo.activeProcessorCount
        let barrier = Barrier(parties: threads)
        let answers = await withTaskGroup(of: (Bool, Int?).self) { group in
            for _ in 0..<threads {
                group.addTask {
                    let allHeld = barrier.arriveAndWait(timeout: .seconds(60))
                    return (allHeld, blockingGet(url, timeout: 10))
                }
            }
            var answers: [(Bool, Int?)] = []
            for await answer in group { answers.append(answer) }
            return answers
        }
        await host.stop()
        let allHeld = answers.allSatisfy { $0.0 }
        #expect(allHeld, "the pool's \(threads) threads were never all held at once")
        #expect(answers.map(\.1) == Array(repeating: 200, count: threads))
    }

    @Test("start reports the port; a second server on that port gets nil; stop frees it and is safe twice")
    func bindFailureAndStop() async throws {
        let (first, router) = pingServer(name: "first")
        let firstConfiguration = first.applicationConfiguration
        let bound = await first.start { onServerRunning in
            Application(router: router, configuration: firstConfiguration, onServerRunning: onServerRunning, logger: Logger(label: "test.first"))
        }
        let port = try #require(bound)
        #expect(first.port == port)
        #expect(first.isRunning)
        let busy = HTTPServerHost(name: "busy", host: "127.0.0.1", port: port, stopGrace: .milliseconds(250), logger: Logger(label: "test.busy"))
        let busyConfiguration = busy.applicationConfiguration
        let second = await busy.start { onServerRunning in
            Application(router: router, configuration: busyConfiguration, onServerRunning: onServerRunning, logger: Logger(label: "test.busy"))
        }
        #expect(second == nil)
        #expect(!busy.isRunning)
        await first.stop()
        await first.stop()
        #expect(first.port == nil)
        #expect(first.isStopping)
        #expect(!first.isRunning)
    }
}

