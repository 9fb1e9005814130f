import Foundation
import XCTest
@testable import BystanderExperiments

/// Sweep designs on a log scale (`log: true`): a Latin hypercube in log(value).
final class SweepDesignTests: XCTestCase {
    func design(_ dimension: String, points: Int) throws -> [Double] {
        let config = try ExperimentConfig.parse("""
            sweep:
              method: latin_hypercube
              points: \(points)
              parameters:
                crisis.deaths.kill_rate: \(dimension)
            """)
        let sweep = try XCTUnwrap(config.sweep)
        return try sweep.designPoints(rootSeed: 7).map { try XCTUnwrap(Double($0.values[0].value)) }
    }

    /// Each of the n decades-wide strata of log(value) holds exactly one point, and the values
    /// stay within [min, max]; on a linear scale most points would fall in the top decade.
    func testLogScaleLatinHypercubeHasOnePointPerLogStratum() throws {
        let n = 40, lo = 1e-4, hi = 1e-1
        let values = try design("{min: \(lo), max: \(hi), log: true}", points: n)
        XCTAssertEqual(values.count, n)
        let strata = values.map { x -> Int in
            XCTAssertTrue((lo...hi).contains(x), "\(x) outside [\(lo), \(hi)]")
            return min(n - 1, Int((log(x / lo) / log(hi / lo) * Double(n)).rounded(.down)))
        }
        XCTAssertEqual(Set(strata).count, n, "one point per log stratum: \(strata.sorted())")
        XCTAssertEqual(values.filter { $0 < 1e-3 }.count, n / 3, accuracy: 1, "a third of the points in the lowest decade")

        let linear = try design("{min: \(lo), max: \(hi)}", points: n)
        XCTAssertLessThanOrEqual(linear.filter { $0 < 1e-3 }.count, 1, "linear: about 1% of the points in the lowest decade")
    }
}
