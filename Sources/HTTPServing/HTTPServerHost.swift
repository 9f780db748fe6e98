import Hummingbird
import Logging
import NIOCore
import Synchronization

/// Starts and stops one Hummingbird application on a loopback or public address — the one place
/// the daemon's webhook receiver and the store emulators' servers are started and stopped.
///
/// The application runs on ``DedicatedThreadsExecutor/servers``, not on Swift's cooperative pool,
/// so a server answers while the process's pool threads are busy with synchronous work (see the
/// executor's discussion). ``start(_:)`` returns once the listening socket is bound, with its port;
/// ``stop()`` closes that socket, gives requests in flight ``stopGrace`` to finish, then cancels.
///
/// ```swift
/// let host = HTTPServerHost(name: "webhook receiver", host: "127.0.0.1", port: 0, stopGrace: .seconds(2), logger: logger)
/// guard let port = await host.start({ onServerRunning in
///     Application(router: router, configuration: host.applicationConfiguration, onServerRunning: onServerRunning, logger: logger)
/// }) else { throw … }   // nil: the address could not be bound
/// …
/// await host.stop()
/// ```
package final class HTTPServerHost: Sendable {
    /// What the host calls the server in its log lines ("webhook receiver", "emulator server").
    package let name: String
    package let host: String
    package let requestedPort: Int
    /// How long ``stop()`` lets open connections and requests in flight finish.
    package let stopGrace: Duration
    private let logger: Logger
    private let state = Mutex(State())

    private struct State: Sendable {
        var serverTask: Task<Void, Never>?
        var closeListener: (@Sendable () -> Void)?
        var port: Int?
        var stopping = false
    }

    package init(name: String, host: String, port: Int, stopGrace: Duration, logger: Logger) {
        self.name = name
        self.host = host
        self.requestedPort = port
        self.stopGrace = stopGrace
        self.logger = logger
    }

    /// The address to hand the application.
    package var applicationConfiguration: ApplicationConfiguration {
        ApplicationConfiguration(address: .hostname(host, port: requestedPort), serverName: nil)
    }

    /// The bound port while running, else `nil`.
    package var port: Int? { state.withLock { $0.port } }

    /// Whether ``start(_:)`` ran and ``stop()`` has not.
    package var isRunning: Bool { state.withLock { $0.serverTask != nil } }

    /// Whether ``stop()`` was called (and ``start(_:)`` not called again since).
    package var isStopping: Bool { state.withLock { $0.stopping } }

    /// Builds the application with the host's `onServerRunning` hook, runs it and returns the bound
    /// port; `nil` when the address could not be bound (the cause is logged). Call once per ``stop()``.
    package func start<App: ApplicationProtocol>(
        _ makeApplication: (_ onServerRunning: @escaping @Sendable (any Channel) async -> Void) -> App
    ) async -> Int? {
        state.withLock { $0.stopping = false }
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int?.self)
        let listener = Mutex<(@Sendable () -> Void)?>(nil)
        let app = makeApplication { channel in
            listener.withLock { $0 = { channel.close(promise: nil) } }
            portContinuation.yield(channel.localAddress?.port)
            portContinuation.finish()
        }
        let serverTask = Task(executorPreference: DedicatedThreadsExecutor.servers) { [self, logger, name] in
            do {
                try await app.run()
            } catch {
                // Closing the listener in stop() ends the server service "unexpectedly" for
                // ServiceLifecycle; only errors while not stopping are real.
                if isStopping {
                    logger.debug("\(name) stopped", metadata: ["detail": "\(error)"])
                } else {
                    logger.error("\(name) stopped with an error", metadata: ["error": "\(error)"])
                }
            }
            portContinuation.finish()
        }
        var bound: Int?? = nil
        for await value in portStream {
            bound = value
            break
        }
        guard let maybePort = bound, let boundPort = maybePort else {
            serverTask.cancel()
            await serverTask.value
            return nil
        }
        state.withLock {
            $0.serverTask = serverTask
            $0.closeListener = listener.withLock { $0 }
            $0.port = boundPort
        }
        logger.info("\(name) listening", metadata: ["address": "\(host):\(boundPort)"])
        return boundPort
    }

    /// Closes the listening socket, waits up to ``stopGrace`` for the server to end, then cancels
    /// it; returns once it has ended. Safe to call twice, and before ``start(_:)``.
    package func stop() async {
        let (server, close) = state.withLock { s -> (Task<Void, Never>?, (@Sendable () -> Void)?) in
            s.stopping = true
            defer { s.serverTask = nil; s.closeListener = nil; s.port = nil }
            return (s.serverTask, s.closeListener)
        }
        close?()
        guard let server else { return }
        let grace = stopGrace
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await server.value }
            group.addTask { try? await Task.sleep(for: grace) }
            _ = await group.next()
            server.cancel()
            group.cancelAll()
        }
        await server.value
    }
}
