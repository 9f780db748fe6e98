import Foundation
import Synchronization
import SyncCore
import SyncDriver

/// Shows a pass's progress: one line per store and phase with done/total, rate and ETA. On a
/// terminal the current line is redrawn in place; otherwise a plain line is printed per update.
final class ProgressPrinter: Sendable {
    private struct Line: Sendable {
        var key: String
        var started: Double
        var last: SyncProgress
    }

    private let state = Mutex<Line?>(nil)
    private let isTerminal = isatty(STDOUT_FILENO) != 0

    var handler: SyncProgressHandler {
        { [self] progress in self.report(progress) }
    }

    private func report(_ p: SyncProgress) {
        let key = "\(p.store) \(Self.phaseName(p.phase))"
        let now = Date().timeIntervalSince1970
        let text: String = state.withLock { line in
            var finished: String? = nil
            if let current = line, current.key != key {
                finished = Self.render(current.last, started: current.started, now: now, final: true)
                line = nil
            }
            if line == nil { line = Line(key: key, started: now, last: p) }
            line!.last = p
            let body = Self.render(p, started: line!.started, now: now, final: false)
            if isTerminal {
                return (finished.map { "\r\u{1B}[2K" + $0 + "\n" } ?? "") + "\r\u{1B}[2K" + body
            }
            // Not a terminal (a log, a pipe): one plain line per finished phase.
            return finished.map { $0 + "\n" } ?? ""
        }
        Self.write(text)
    }

    /// Through stdio, like `print`, so progress and the other output keep their order in a pipe.
    static func write(_ text: String) {
        guard !text.isEmpty else { return }
        Swift.print(text, terminator: "")
        fflush(nil)
    }

    /// Ends the current line.
    func finish() {
        let now = Date().timeIntervalSince1970
        let text: String? = state.withLock { line in
            defer { line = nil }
            guard let current = line else { return nil }
            let body = Self.render(current.last, started: current.started, now: now, final: true)
            return isTerminal ? "\r\u{1B}[2K" + body + "\n" : body + "\n"
        }
        if let text { Self.write(text) }
    }

    static func phaseName(_ phase: SyncProgress.Phase) -> String {
        switch phase {
        case .pulling(let kind): "pull \(kind.rawValue)s"
        case .pushing: "push writes"
        }
    }

    static func render(_ p: SyncProgress, started: Double, now: Double, final: Bool) -> String {
        let elapsed = max(now - started, 0.001)
        let rate = Double(p.done) / elapsed
        let total = p.total.map { "/\($0)" } ?? ""
        var eta = ""
        if !final, let t = p.total, rate > 0, t > p.done {
            eta = String(format: "  ETA %.1fs", Double(t - p.done) / rate)
        }
        let name = "\(p.store) \(phaseName(p.phase))".padding(toLength: 30, withPad: " ", startingAt: 0)
        return "  \(name) \(String(p.done).leftPad(5))\(total.padding(toLength: 6, withPad: " ", startingAt: 0))"
            + String(format: "  %7.0f/s", rate) + (final ? "  done" : eta)
    }
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
