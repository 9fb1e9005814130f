/// The Security Council's decision rule for substantive matters, configurable so that
/// reform proposals can be studied.
///
/// Charter Art. 27(3): a draft is adopted with at least `quota` affirmative votes and no
/// negative vote of a permanent member. An abstention is not a veto. Generalised here:
/// a draft is blocked when at least `vetoThreshold` permanent members vote no
/// (1 = the Charter's rule, 2 = a "double veto" reform, 0 = no veto at all).
public struct VotingRule: Sendable, Equatable {
    /// Number of seats in the Council.
    public var seats: Int
    /// Indices (0..<seats) of the permanent members.
    public var permanentSeats: [Int]
    /// Affirmative votes needed.
    public var quota: Int
    /// Number of permanent "no" votes that block a draft; 0 disables the veto.
    public var vetoThreshold: Int

    public init(seats: Int, permanentSeats: [Int], quota: Int, vetoThreshold: Int) {
        self.seats = seats
        self.permanentSeats = permanentSeats
        self.quota = quota
        self.vetoThreshold = vetoThreshold
    }

    /// The rule of the Charter: 15 seats, the first five permanent, 9 votes, single veto.
    public static let charter = VotingRule(seats: 15, permanentSeats: [0, 1, 2, 3, 4], quota: 9, vetoThreshold: 1)

    /// Whether a draft passes, given the count of affirmative votes and of permanent "no" votes.
    @inlinable
    public func adopts(yes: Int, permanentNo: Int) -> Bool {
        yes >= quota && (vetoThreshold == 0 || permanentNo < vetoThreshold)
    }
}
