import Foundation

/// Step 7: this week's decisions, Council measures and deployed troops turned into the
/// effects that act on next week's crisis.
struct Effects {
    var supportInflow = 0.0, restraint = 0.0, sanctionLevel = 0.0, forceLevel = 0.0
    var missionForce = 0.0, protection = 0.0, pressure = 0.0, assistance = 0.0

    mutating func step(_ s: Scenario, crisis: CrisisDynamics, actions a: WeekActions, decisions: Decisions,
                       council: SecurityCouncil, missions: Missions) {
        let b = s.parameters.bystanders, cp = s.parameters.council, mp = s.parameters.missions
        let world = s.world
        supportInflow = 0
        for i in s.supporters where !decisions.supportCut[i] {
            supportInflow += world.links[i].support * (council.embargo ? cp.embargoLeakage : 1)
        }
        restraint = b.maxRestraint * (1 - exp(-a.leverage / b.leverageScale))
        let unilateralSanctions = 1 - exp(-a.sanctions / b.sanctionScale)
        sanctionLevel = 1 - (1 - unilateralSanctions) * (1 - (council.sanctions ? cp.councilSanctions : 0))
        forceLevel = 1 - exp(-a.force / b.forceScale)
        let deployed = missions.deployed
        missionForce = missions.mandate == .enforce ? deployed / (deployed + mp.troopScale) : 0
        let missionProtection = mp.protectionMax * (1 - exp(-deployed / mp.troopScale)) * (missions.mandate == .observe ? mp.observeFactor : 1)
        let territorial = crisis.territorialIsPerpetrator ? 0 : crisis.c.territorialProtectionMax * (1 - crisis.c.territorialDeference * decisions.engagedShare)
        protection = 1 - (1 - territorial) * (1 - missionProtection)
        pressure = 1 - (1 - restraint) * (1 - sanctionLevel) * (1 - forceLevel)
        assistance = 1 - exp(-a.assistance / b.assistScale)
    }
}
