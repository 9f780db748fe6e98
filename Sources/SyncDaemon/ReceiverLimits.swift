/// How many connections the webhook receiver keeps and for how long (`daemon.max_connections`,
/// `daemon.idle_timeout_seconds`, `daemon.request_timeout_seconds`).
///
/// Without limits every connection a client opens stays open for as long as the client likes: idle
/// keep-alive connections, clients that send their headers or body a byte at a time ("slow loris"),
/// and a flood of connections all hold a file descriptor, until the process runs out of them and
/// `/healthz` stops answering. With these limits the number of descriptors the receiver holds is
/// bounded by ``maxConnections``, and each connection by time:
///
/// - a connection with no request in progress is closed after ``idleTimeoutMilliseconds`` — also
///   the bound on a request's headers, counted from when the connection opened or the previous
///   answer was sent;
/// - a request must have arrived whole (headers and body) within ``requestTimeoutMilliseconds`` of
///   the same moment, however steadily its bytes trickle in;
/// - at ``maxConnections``, a new connection closes the connection that has been idle longest (a
///   store reconnects at no cost); when every connection is busy it is answered `503` with
///   `Retry-After` and closed at once, so a client (and a health check) hears "busy" at once rather
///   than hanging. Shedding is logged once per burst.
public struct ReceiverLimits: Sendable, Hashable {
    /// Open connections at most (default 512). Keep it well under the process's descriptor limit
    /// (`ulimit -n`): the inbox and the databases need descriptors too.
    public var maxConnections = 512
    /// How long a connection may stay open with no request in progress (default 15 s); the headers of a
    /// request must also arrive within it.
    public var idleTimeoutMilliseconds: Int64 = 15_000
    /// How long the whole of a request may take to arrive (default 30 s).
    public var requestTimeoutMilliseconds: Int64 = 30_000

    public init(maxConnections: Int = 512, idleTimeoutMilliseconds: Int64 = 15_000, requestTimeoutMilliseconds: Int64 = 30_000) {
        self.maxConnections = maxConnections
        self.idleTimeoutMilliseconds = idleTimeoutMilliseconds
        self.requestTimeoutMilliseconds = requestTimeoutMilliseconds
    }
}

/// The receiver's connections now, and what its limits did since it started (`/metrics`).
public struct ReceiverConnectionCounts: Sendable, Hashable {
    /// Connections open now (at most ``ReceiverLimits/maxConnections``).
    public var open = 0
    /// Of those, connections with a request in progress (its head read, its answer not yet written).
    public var busy = 0
    /// Idle connections closed to make room for a new one.
    public var idleClosed = 0
    /// New connections answered `503` because every open one was busy.
    public var refused = 0
    /// Connections cut because their request had not arrived whole within the request timeout.
    public var timedOut = 0
}
