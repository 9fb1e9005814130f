/// A priori voting power of the Council's seats under a `VotingRule`.
///
/// Each index treats the rule as a simple game: a coalition S (the members voting yes, everyone
/// else counted as voting no) wins iff `|S| >= quota` and, when `vetoThreshold > 0`, fewer than
/// `vetoThreshold` permanent members are outside S. This is exactly `rule.adopts(yes:permanentNo:)`
/// with abstentions removed. The indices measure how much formal influence a seat has before any
/// preferences are known, which is what reform proposals (enlargement, new quotas, abolishing or
/// weakening the veto) change directly.
///
/// The exact computations exploit that winning depends only on how many permanent and how many
/// elected members a coalition contains: coalitions are counted by type with binomial
/// coefficients in exact integer arithmetic, so the cost is O(p * e) for p permanent and
/// e elected seats. Seats up to 62 are supported.
public enum VotingPower {

    /// Largest council the exact (combinatorial) methods accept; keeps every count below 2^62.
    static let maximumSeats = 62

    /// Shapley-Shubik index of each seat (index = seat), summing to 1.
    ///
    /// The probability that the seat is pivotal, i.e. turns a losing coalition into a winning one,
    /// when members join in a uniformly random order. It divides the whole "value" of passing a
    /// draft among the seats, so shares can be compared across reform proposals directly.
    /// Computed exactly by counting pivotal coalitions of each size; the only rounding is one
    /// division per coalition size.
    public static func shapleyShubik(_ rule: VotingRule) -> [Double] {
        let game = Game(rule)
        let n = game.seats
        let binomial = binomialTable(upTo: n)
        // A coalition S of size k not containing the seat is followed by the seat in a random order
        // with probability k!(n-1-k)!/n! = 1 / (n * C(n-1, k)).
        func index(pivotsBySize: [UInt64]) -> Double {
            var sum = 0.0
            for k in 0..<n where pivotsBySize[k] > 0 {
                sum += Double(pivotsBySize[k]) / Double(binomial[n - 1][k])
            }
            return sum / Double(n)
        }
        let counts = game.swingCountsBySize(binomial)
        return game.perSeat(permanent: index(pivotsBySize: counts.permanent),
                            elected: index(pivotsBySize: counts.elected))
    }

    /// Normalised Banzhaf index of each seat (index = seat), summing to 1 (all zeros if no
    /// coalition has a swing member).
    ///
    /// A seat's swing count is the number of coalitions without it that lose but win once it joins;
    /// the index is that count divided by the total over all seats. It measures how often a seat's
    /// vote is decisive when all coalitions are equally likely, the usual complement to
    /// Shapley-Shubik in the reform literature. Swing counts are exact integers.
    public static func banzhaf(_ rule: VotingRule) -> [Double] {
        let game = Game(rule)
        let counts = game.swingCountsBySize(binomialTable(upTo: game.seats))
        let permanentSwings = counts.permanent.reduce(0, +)
        let electedSwings = counts.elected.reduce(0, +)
        return normalise(game.perSeat(permanent: permanentSwings, elected: electedSwings))
    }

    /// Raw (unnormalised) Banzhaf swing counts per seat, exact.
    static func banzhafSwingCounts(_ rule: VotingRule) -> [UInt64] {
        let game = Game(rule)
        let counts = game.swingCountsBySize(binomialTable(upTo: game.seats))
        return game.perSeat(permanent: counts.permanent.reduce(0, +), elected: counts.elected.reduce(0, +))
    }

    /// Reference implementation of the Shapley-Shubik index, for tests: enumerates all n!
    /// orderings of the seats and counts how often each seat is the pivot. Slow by design and
    /// independent of the combinatorial shortcut; requires at most 8 seats.
    public static func bruteForceShapleyShubik(_ rule: VotingRule) -> [Double] {
        let n = rule.seats
        precondition(n >= 1 && n <= 8, "bruteForceShapleyShubik supports 1...8 seats")
        validate(rule)
        var order = Array(0..<n)
        var pivots = [Int](repeating: 0, count: n)
        var orderings = 0
        repeat {
            orderings += 1
            var members: [Int] = []
            for seat in order {
                let wasWinning = referenceWins(rule, members)
                members.append(seat)
                if !wasWinning && referenceWins(rule, members) {
                    pivots[seat] += 1
                    break
                }
            }
        } while nextPermutation(&order)
        return pivots.map { Double($0) / Double(orderings) }
    }

    /// Reference implementation of the normalised Banzhaf index, for tests: enumerates all 2^n
    /// coalitions and, for each seat outside a coalition, checks whether it swings it from losing
    /// to winning. Slow by design and independent of the combinatorial shortcut; requires at most
    /// 20 seats.
    public static func bruteForceBanzhaf(_ rule: VotingRule) -> [Double] {
        let n = rule.seats
        precondition(n >= 1 && n <= 20, "bruteForceBanzhaf supports 1...20 seats")
        validate(rule)
        var swings = [UInt64](repeating: 0, count: n)
        for mask in 0..<(1 << n) {
            let members = (0..<n).filter { mask & (1 << $0) != 0 }
            if referenceWins(rule, members) { continue }
            for seat in 0..<n where mask & (1 << seat) == 0 {
                if referenceWins(rule, members + [seat]) {
                    swings[seat] += 1
                }
            }
        }
        return normalise(swings)
    }

    // MARK: - Internals

    /// The game reduced to types: p permanent and e elected seats, winning decided by counts.
    private struct Game {
        let rule: VotingRule
        let seats: Int
        let permanentCount: Int
        let electedCount: Int
        let isPermanent: [Bool]

        init(_ rule: VotingRule) {
            precondition(rule.seats >= 1 && rule.seats <= VotingPower.maximumSeats,
                         "VotingPower supports 1...\(VotingPower.maximumSeats) seats")
            VotingPower.validate(rule)
            self.rule = rule
            seats = rule.seats
            permanentCount = rule.permanentSeats.count
            electedCount = rule.seats - rule.permanentSeats.count
            var flags = [Bool](repeating: false, count: rule.seats)
            for seat in rule.permanentSeats { flags[seat] = true }
            isPermanent = flags
        }

        /// Whether a coalition with `permanentIn` permanent and `electedIn` elected members wins.
        func wins(permanentIn: Int, electedIn: Int) -> Bool {
            rule.adopts(yes: permanentIn + electedIn, permanentNo: permanentCount - permanentIn)
        }

        /// Number of swing coalitions (losing without the seat, winning with it), by coalition size,
        /// for a representative permanent seat and a representative elected seat.
        func swingCountsBySize(_ binomial: [[UInt64]]) -> (permanent: [UInt64], elected: [UInt64]) {
            let p = permanentCount, e = electedCount
            var permanent = [UInt64](repeating: 0, count: seats)
            var elected = [UInt64](repeating: 0, count: seats)
            for a in 0...p {
                for b in 0...e {
                    // Coalitions of others with a permanent and b elected members.
                    if a < p && !wins(permanentIn: a, electedIn: b) && wins(permanentIn: a + 1, electedIn: b) {
                        permanent[a + b] += binomial[p - 1][a] * binomial[e][b]
                    }
                    if b < e && !wins(permanentIn: a, electedIn: b) && wins(permanentIn: a, electedIn: b + 1) {
                        elected[a + b] += binomial[p][a] * binomial[e - 1][b]
                    }
                }
            }
            return (permanent, elected)
        }

        func perSeat<T>(permanent: T, elected: T) -> [T] {
            isPermanent.map { $0 ? permanent : elected }
        }
    }

    /// Checks the assumptions every method relies on.
    private static func validate(_ rule: VotingRule) {
        precondition(rule.permanentSeats.allSatisfy { (0..<rule.seats).contains($0) },
                     "permanent seats must lie in 0..<seats")
        precondition(Set(rule.permanentSeats).count == rule.permanentSeats.count,
                     "permanent seats must be distinct")
        precondition((1...rule.seats).contains(rule.quota), "quota must lie in 1...seats")
        precondition(rule.vetoThreshold >= 0, "vetoThreshold must be non-negative")
    }

    /// The game read literally off a list of yes voters; used only by the reference methods.
    private static func referenceWins(_ rule: VotingRule, _ members: [Int]) -> Bool {
        let permanentNo = rule.permanentSeats.filter { !members.contains($0) }.count
        return rule.adopts(yes: members.count, permanentNo: permanentNo)
    }

    /// Pascal's triangle, rows 0...n, exact in UInt64 for n <= 62.
    private static func binomialTable(upTo n: Int) -> [[UInt64]] {
        var rows: [[UInt64]] = [[1]]
        if n == 0 { return rows }
        for m in 1...n {
            let previous = rows[m - 1]
            var row = [UInt64](repeating: 1, count: m + 1)
            for k in stride(from: 1, to: m, by: 1) {
                row[k] = previous[k - 1] + previous[k]
            }
            rows.append(row)
        }
        return rows
    }

    /// Divides each count by the total; all zeros when the total is zero.
    private static func normalise(_ counts: [UInt64]) -> [Double] {
        let total = counts.reduce(0.0) { $0 + Double($1) }
        guard total > 0 else { return counts.map { _ in 0 } }
        return counts.map { Double($0) / total }
    }

    /// Advances to the next permutation in lexicographic order; false after the last one.
    private static func nextPermutation(_ a: inout [Int]) -> Bool {
        guard a.count > 1 else { return false }
        var i = a.count - 2
        while i >= 0 && a[i] >= a[i + 1] { i -= 1 }
        if i < 0 { return false }
        var j = a.count - 1
        while a[j] <= a[i] { j -= 1 }
        a.swapAt(i, j)
        a[(i + 1)...].reverse()
        return true
    }
}
