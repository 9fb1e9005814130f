import Foundation

/// A world and its parameters, with the per-state quantities that do not change during a
/// run computed once. Immutable and shared by all runs (and threads) of a design point.
public struct Scenario: Sendable {
    public let parameters: ModelParameters
    public let world: World
    /// Composite capacity (geometric mean of the components; median state = 1).
    public let capacity: [Double]
    /// Leverage over the perpetrator: capacity^a x link x exp(-distance / lambda), where link
    /// is the strongest of the state's links, floored at `linkFloor` (ICJ Genocide para. 430:
    /// capacity to influence depends on distance and on political links), times the power
    /// ratio C_i / (C_i + w C_T) when the territorial state perpetrates, and times
    /// (1 - vetoShield) for every state but the shield when the perpetrator or a patron
    /// aligned with it holds a veto.
    public let leverage: [Double]
    /// Attention to the crisis: contiguity or a tie give full attention, distance decays it.
    public let attention: [Double]
    /// States large enough to act on their own (composite capacity >= capableThreshold).
    public let capable: [Bool]
    /// Cost divisor: richer states feel the same cost less (capacity^costCapacityExponent).
    public let costDivisor: [Double]
    /// Concern for the victims: raised by ties and contiguity, cancelled by alignment.
    public let concern: [Double]
    /// Bystanders: every state but the territorial one.
    public let bystanders: [Int]
    /// Bystanders that support the perpetrator (the only states the effects step sums).
    public let supporters: [Int]
    /// The attention of every bystander, and of the capable ones, in descending order.
    let bystanderAttentionDescending: [Double]
    let capableAttentionDescending: [Double]

    public init(parameters p: ModelParameters, world: World) {
        self.parameters = p
        self.world = world
        let n = world.count
        let b = p.bystanders
        var capacity = [Double](repeating: 0, count: n)
        var leverage = capacity, attention = capacity, costDivisor = capacity, concern = capacity
        var capable = [Bool](repeating: false, count: n)
        // Who shields the perpetrator with a veto: the territorial state if it perpetrates and
        // sits as a permanent member, and any permanent member aligned with it.
        let perpetratorState = p.crisis.perpetrator == .state
        let shields = Set(world.permanent.filter {
            ($0 == world.territorial && perpetratorState) || world.links[$0].alignment >= b.patronAlignment
        })
        let perpetratorCapacity = world.count > 0 ? world.capacity(world.territorial) : 0
        for i in 0..<n {
            let c = world.capacity(i)
            capacity[i] = c
            let l = world.links[i]
            let link = b.linkFloor + (1 - b.linkFloor) * max(l.support, l.alignment, l.governance, l.tie)
            leverage[i] = pow(c, b.leverageCapacityExponent) * link * exp(-world.distanceKm[i] / b.leverageDistanceKm)
            if perpetratorState && b.perpetratorPowerWeight > 0 { leverage[i] *= c / (c + b.perpetratorPowerWeight * perpetratorCapacity) }
            if !shields.isEmpty && !shields.contains(i) { leverage[i] *= 1 - b.vetoShield }
            let proximity = world.contiguous[i] ? 1.0 : exp(-world.distanceKm[i] / p.information.attentionRangeKm)
            attention[i] = min(1, max(p.information.attentionFloor, proximity, l.tie))
            capable[i] = c >= b.capableThreshold
            costDivisor[i] = max(1e-9, pow(c, b.costCapacityExponent)) / max(1e-9, world.costSensitivity[i])
            concern[i] = (1 - l.alignment) * (1 + l.tie + (world.contiguous[i] ? b.contiguityConcern : 0))
        }
        capable[world.territorial] = false
        // A perpetrating state has no concern for its victims (it matters when it sits on the
        // Council: Rwanda in 1994, Russia over Chechnya).
        if p.crisis.perpetrator == .state { concern[world.territorial] = 0 }
        self.capacity = capacity; self.leverage = leverage; self.attention = attention
        self.capable = capable; self.costDivisor = costDivisor; self.concern = concern
        let bystanders = (0..<n).filter { $0 != world.territorial }
        self.bystanders = bystanders
        supporters = bystanders.filter { world.links[$0].support > 0 }
        bystanderAttentionDescending = bystanders.map { attention[$0] }.sorted(by: >)
        capableAttentionDescending = bystanders.filter { capable[$0] }.map { attention[$0] }.sorted(by: >)
    }

    /// How many bystanders, and how many capable bystanders, are aware at this salience
    /// (`salience * attention >= threshold`). The test is monotone in attention for
    /// salience >= 0, so the aware states lead the descending lists and a binary search finds
    /// exactly the count a pass over every state would.
    func awareCounts(salience: Double, threshold: Double) -> (all: Int, capable: Int) {
        func count(_ descending: [Double]) -> Int {
            var low = 0, high = descending.count
            while low < high {
                let mid = (low + high) / 2
                if salience * descending[mid] >= threshold { low = mid + 1 } else { high = mid }
            }
            return low
        }
        return (count(bystanderAttentionDescending), count(capableAttentionDescending))
    }
}
