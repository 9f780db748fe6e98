import Foundation
import Logging
import NIOCore
import Synchronization

/// The receiver's table of open connections, shared by every event loop: it admits a new connection,
/// makes room by closing the longest-idle one, or refuses it; and it logs shedding once per burst.
///
/// A connection is *idle* from when it opens, or its last answer is written, until the head of its
/// next request has been read. A client dribbling its headers is idle too — it has sent nothing the
/// server could act on — so slow-loris connections are the first to go.
final class ConnectionLimiter: Sendable {
    /// What to do with a new connection.
    enum Admission: Equatable {
        case admitted
        /// Every connection is busy: answer 503 and close.
        case refused
    }

    private struct Entry {
        let channel: any Channel
        /// When the connection became idle; nil while a request is being read or answered.
        var idleSince: ContinuousClock.Instant?
    }

    /// A run of shedding; it ends after ``burstQuietPeriod`` without shedding.
    private struct Burst {
        var lastShed: ContinuousClock.Instant
        var evicted = 0
        var refused = 0
    }

    private struct State {
        var open: [ObjectIdentifier: Entry] = [:]
        var counts = ReceiverConnectionCounts()
        var burst: Burst?
    }

    /// Shedding events closer together than this are one burst, logged once.
    static let burstQuietPeriod: Duration = .seconds(5)

    let maxConnections: Int
    private let logger: Logger
    private let state = Mutex(State())

    init(maxConnections: Int, logger: Logger) {
        self.maxConnections = max(1, maxConnections)
        self.logger = logger
    }

    var counts: ReceiverConnectionCounts {
        state.withLock { s in
            var c = s.counts
            c.open = s.open.count
            c.busy = s.open.values.count(where: { $0.idleSince == nil })
            return c
        }
    }

    /// Registers `channel`, closing the longest-idle connection first when the table is full.
    func admit(_ channel: any Channel) -> Admission {
        let now = ContinuousClock.now
        let (admission, victim, log) = state.withLock { s -> (Admission, (any Channel)?, [LogLine]) in
            var log = Self.endBurstIfQuiet(&s, now: now).map { [$0] } ?? []
            if s.open.count < maxConnections {
                s.open[ObjectIdentifier(channel)] = Entry(channel: channel, idleSince: now)
                return (.admitted, nil, log)
            }
            if s.burst == nil {
                s.burst = Burst(lastShed: now)
                log.append(.burstStarted(open: s.open.count))
            }
            s.burst?.lastShed = now
            guard let (key, victim) = Self.longestIdle(s.open) else {
                s.counts.refused += 1
                s.burst?.refused += 1
                return (.refused, nil, log)
            }
            s.open[key] = nil
            s.open[ObjectIdentifier(channel)] = Entry(channel: channel, idleSince: now)
            s.counts.idleClosed += 1
            s.burst?.evicted += 1
            return (.admitted, victim, log)
        }
        victim?.close(promise: nil)
        log.forEach(write)
        return admission
    }

    /// The connection idle the longest, if any is idle.
    private static func longestIdle(_ open: [ObjectIdentifier: Entry]) -> (ObjectIdentifier, any Channel)? {
        var best: (key: ObjectIdentifier, channel: any Channel, since: ContinuousClock.Instant)?
        for (key, entry) in open {
            guard let since = entry.idleSince else { continue }
            if best == nil || since < best!.since { best = (key, entry.channel, since) }
        }
        return best.map { ($0.key, $0.channel) }
    }

    /// The head of a request was read on `channel`: it is busy until its answer is written.
    func busy(_ channel: any Channel) {
        state.withLock { $0.open[ObjectIdentifier(channel)]?.idleSince = nil }
    }

    /// The answer was written: `channel` is idle (and the first to be closed when room is needed).
    func idle(_ channel: any Channel) {
        let now = ContinuousClock.now
        state.withLock { $0.open[ObjectIdentifier(channel)]?.idleSince = now }
    }

    /// `channel` closed (by either side, or because it was evicted).
    func closed(_ channel: any Channel) {
        _ = state.withLock { $0.open.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// A connection was cut because its request did not arrive in time.
    func timedOut() {
        state.withLock { $0.counts.timedOut += 1 }
    }

    // MARK: Logging

    private enum LogLine {
        case burstStarted(open: Int)
        case burstEnded(evicted: Int, refused: Int)
    }

    private static func endBurstIfQuiet(_ s: inout State, now: ContinuousClock.Instant) -> LogLine? {
        guard let burst = s.burst, now - burst.lastShed >= burstQuietPeriod else { return nil }
        s.burst = nil
        return .burstEnded(evicted: burst.evicted, refused: burst.refused)
    }

    private func write(_ line: LogLine) {
        switch line {
        case .burstStarted(let open):
            logger.warning("webhook receiver at its connection limit: closing the longest-idle connections, answering 503 when all are busy (logged once per burst)",
                           metadata: ["max_connections": "\(maxConnections)", "open": "\(open)",
                                      "fix": "if real stores are refused, raise daemon.max_connections (and ulimit -n); else look for a client holding connections"])
        case .burstEnded(let evicted, let refused):
            logger.info("webhook receiver connection burst over",
                        metadata: ["idle_closed": "\(evicted)", "refused": "\(refused)"])
        }
    }
}
