import Foundation

/// Step 2: a delayed, noisy signal of the weekly toll, the warning level and salience.
struct Information {
    let p: InformationParameters
    var trueDeaths: [Double]
    /// This week's report (of the deaths `reportingDelayWeeks` ago) and its smoothed level.
    var reported = 0.0
    var reportedSmoothed = 0.0
    var salience = 0.0
    /// Warning level: 0 none, 1 watch, 2 warning, 3 emergency.
    var level = 0
    /// Added to next week's salience target by a Council statement.
    var salienceBoost = 0.0

    init(_ p: InformationParameters, horizon: Int) {
        self.p = p
        trueDeaths = [Double](repeating: 0, count: horizon)
    }

    mutating func step(week t: Int, crisis: CrisisDynamics, streams: Streams) {
        trueDeaths[t] = crisis.deaths
        let noise = streams.stream(.signals, week: t).lognormal(zeta: 0, sigma: p.signalNoiseSD)
        reported = t >= p.reportingDelayWeeks ? trueDeaths[t - p.reportingDelayWeeks] * noise : 0
        reportedSmoothed = (1 - p.signalSmoothing) * reportedSmoothed + p.signalSmoothing * reported
        level = reportedSmoothed >= p.emergencyDeaths ? 3 : reportedSmoothed >= p.warningDeaths ? 2
            : (reportedSmoothed > 0 || (crisis.active && crisis.risk >= p.watchRisk)) ? 1 : 0
        let target = min(1, p.levelSalience[level] + (1 - exp(-reportedSmoothed / p.salienceScale)) + salienceBoost)
        salience = p.salienceDecay * salience + (1 - p.salienceDecay) * target
        salienceBoost = 0
    }

    /// Whether a state with this attention is aware of the crisis this week.
    @inline(__always)
    func aware(attention: Double) -> Bool { salience * attention >= p.awarenessThreshold }
}
