/// Estimates a store's clock offset from the `Date` headers of its responses.
///
/// Store `updated_at` times come from the store's clock. A store whose clock runs 3 minutes fast would
/// otherwise stamp its edits 3 minutes into the future and win edits it lost. Each response gives one
/// sample: `Date` (second precision, truncated) − the midpoint of our request's send and receive
/// times. The estimate is the running mean of samples, with the half-second truncation bias of the
/// `Date` header added back; a sample further than `maxStep` from the estimate counts with weight 1/8
/// so one slow response cannot swing it.
public struct StoreClockEstimator: Sendable, Hashable {
    public private(set) var offsetMilliseconds: Int64
    public private(set) var samples: Int64

    /// Samples further than this from the estimate are damped.
    public var maxStepMilliseconds: Int64 = 5_000

    public init(offsetMilliseconds: Int64 = 0, samples: Int64 = 0) {
        self.offsetMilliseconds = offsetMilliseconds
        self.samples = samples
    }

    /// Adds one observation. `dateHeader` is the parsed `Date` header (ms, a whole second);
    /// `sentAt`/`receivedAt` are our clock's readings around the request.
    public mutating func observe(dateHeader: Int64, sentAt: Int64, receivedAt: Int64) {
        let midpoint = sentAt + (receivedAt - sentAt) / 2
        // `Date` truncates to the second: on average the true time is half a second later.
        let sample = dateHeader + 500 - midpoint
        if samples == 0 {
            offsetMilliseconds = sample
            samples = 1
            return
        }
        let weight = min(samples + 1, 64)
        let delta = sample - offsetMilliseconds
        let damped = abs(delta) > maxStepMilliseconds ? delta / 8 : delta
        offsetMilliseconds += damped / weight
        samples += 1
    }

    /// The event time of a store timestamp in our clock: corrected by the offset, never later than now.
    public func eventTime(storeTime: Int64, now: Int64) -> Int64 {
        min(storeTime - offsetMilliseconds, now)
    }
}
