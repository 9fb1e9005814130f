import BystanderCore
import Foundation
import XCTest
@testable import BystanderExperiments

final class RealDataWorldTests: XCTestCase {
    /// The package root: this file is Tests/BystanderExperimentsTests/RealDataWorldTests.swift.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = root.appendingPathComponent("Tests/Fixtures/realdata")
    static let realData = root.appendingPathComponent("../shared/data").standardizedFileURL

    func fixture(_ name: String) -> String { Self.fixtures.appendingPathComponent(name).path }

    func loadSmall(cow: String = "cow-small.csv", cepii: String = "cepii-small.csv", year: Int = 2016, territorial: String = "RWA") throws -> RealDataWorld.Loaded {
        try RealDataWorld.load(capabilities: fixture(cow), distances: fixture(cepii), year: year, territorial: territorial)
    }

    /// The error `body` throws, as a RealDataError (fails the test if it throws nothing else).
    func realDataError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> RealDataError? {
        do { try body() } catch let e as RealDataError { return e } catch { XCTFail("unexpected error \(error)", file: file, line: line); return nil }
        XCTFail("expected a RealDataError", file: file, line: line)
        return nil
    }

    func tempFile(_ name: String, _ bytes: [UInt8]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("realdata-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    // MARK: codes

    func testRoundTripForEveryMappedState() {
        XCTAssertEqual(CountryCodes.table.count, 217)
        for e in CountryCodes.table {
            XCTAssertEqual(CountryCodes.iso(cowCode: e.ccode), e.iso, e.cow)
            XCTAssertEqual(CountryCodes.iso(cowAbbreviation: e.cow), e.iso, e.cow)
            guard let iso = e.iso else { continue }
            let back = CountryCodes.cow(iso: iso)
            XCTAssertNotNil(back, "\(e.cow) -> \(iso) has no way back")
            XCTAssertEqual(back.flatMap { CountryCodes.iso(cowAbbreviation: $0) }, iso, e.cow)
            if !CountryCodes.predecessors.contains(e.cow) { XCTAssertEqual(back, e.cow) }
        }
        XCTAssertEqual(CountryCodes.cow(iso: "DEU"), "GMY")
        XCTAssertEqual(CountryCodes.cow(iso: "YEM"), "YEM")
    }

    func testKnownDifferencesBetweenCOWAndISO() {
        let expected: [String: String?] = [
            "GMY": "DEU", "GFR": "DEU", "ROK": "KOR", "UKG": "GBR", "FRN": "FRA", "RUS": "RUS", "CHN": "CHN", "USA": "USA",
            "AUS": "AUT", "AUL": "AUS", "SWZ": "CHE", "SWA": "SWZ", "CZR": "CZE", "CZE": "CSK", "SLO": "SVK",
            "SLV": "SVN", "SAL": "SLV", "MAC": "MKD", "MON": "MNG", "MNG": "MNE", "PAL": "PLW", "MAD": "MDV",
            "MAG": "MDG", "DRC": "COD", "CON": "COG", "NIG": "NGA", "NIR": "NER", "BAH": "BHR", "BHM": "BHS",
            "ROM": "ROU", "YUG": "SRB", "ETM": "TLS", "KOS": "XKX", "TAW": "TWN", "GRG": "GEO", "IRE": "IRL",
            "NTH": "NLD", "SPN": "ESP", "POR": "PRT", "DEN": "DNK", "SWD": "SWE", "ICE": "ISL", "LIB": "LBY",
            "LEB": "LBN", "KUW": "KWT", "UAE": "ARE", "SAF": "ZAF", "ALG": "DZA", "MOR": "MAR", "KZK": "KAZ",
            "MAL": "MYS", "PHI": "PHL", "INS": "IDN", "THI": "THA", "CAM": "KHM", "BNG": "BGD", "SRI": "LKA",
            "NEW": "NZL", "DRV": "VNM", "YAR": "YEM", "GDR": "DDR", "YPR": "YMD",
            // Historical states without an ISO code.
            "KOR": nil, "BAV": nil, "BAD": nil, "HAN": nil, "SAX": nil, "WRT": nil, "HSE": nil, "HSG": nil,
            "MEC": nil, "AUH": nil, "PAP": nil, "SIC": nil, "MOD": nil, "PMA": nil, "TUS": nil, "ZAN": nil, "RVN": nil,
        ]
        for (cow, iso) in expected { XCTAssertEqual(CountryCodes.iso(cowAbbreviation: cow), iso, cow) }
        XCTAssertEqual(CountryCodes.iso(cowCode: 255), "DEU")
        XCTAssertEqual(CountryCodes.iso(cowCode: 732), "KOR")
        XCTAssertNil(CountryCodes.iso(cowCode: 730))
        XCTAssertEqual(CountryCodes.cepiiAliases["COD"], "ZAR")
        XCTAssertEqual(CountryCodes.cepiiAliases["SRB"], "YUG")
        XCTAssertEqual(CountryCodes.cepiiAliases["TLS"], "TMP")
        XCTAssertEqual(CountryCodes.cepiiAliases["ROU"], "ROM")
    }

    func testUNGroups() {
        let counts = RegionalGroup.allCases.map { CountryCodes.members[$0]!.count }
        XCTAssertEqual(counts, [54, 54, 23, 33, 29])
        XCTAssertEqual(counts.reduce(0, +), 193)
        XCTAssertEqual(CountryCodes.group(iso: "USA"), .westernEuropeOthers)
        XCTAssertEqual(CountryCodes.group(iso: "ISR"), .westernEuropeOthers)
        XCTAssertEqual(CountryCodes.group(iso: "TUR"), .westernEuropeOthers)
        XCTAssertEqual(CountryCodes.group(iso: "KIR"), .asiaPacific)
        XCTAssertEqual(CountryCodes.group(iso: "CYP"), .asiaPacific)
        XCTAssertEqual(CountryCodes.group(iso: "RUS"), .easternEurope)
        XCTAssertEqual(CountryCodes.group(iso: "RWA"), .africa)
        XCTAssertNil(CountryCodes.group(iso: "TWN"))
        XCTAssertNil(CountryCodes.group(iso: "XKX"))
        XCTAssertEqual(CountryCodes.fallbackGroup(cowCode: 713), .asiaPacific)
        XCTAssertEqual(CountryCodes.fallbackGroup(cowCode: 347), .easternEurope)
        XCTAssertEqual(CountryCodes.fallbackGroup(cowCode: 245), .westernEuropeOthers)
        // Every member maps back to a COW state.
        for codes in CountryCodes.members.values { for iso in codes { XCTAssertNotNil(CountryCodes.cow(iso: iso), iso) } }
    }

    // MARK: loader on fixtures

    func testLoadsSmallWorld() throws {
        let w = try loadSmall()
        XCTAssertEqual(w.states.map(\.iso), ["BEL", "COD", "DEU", "FRA", "GBR", "MCO", "ROU", "RWA", "TWN", "USA"])
        let s = Dictionary(uniqueKeysWithValues: w.states.map { ($0.iso, $0) })
        // Medians of 2016: milex 7000, milper 150, pec 110000, irst 7500, cinc 0.00675.
        XCTAssertEqual(s["USA"]!.military!, 600_000 / 7000, accuracy: 1e-9)
        XCTAssertEqual(s["USA"]!.diplomatic!, 0.14 / 0.00675, accuracy: 1e-9)
        XCTAssertEqual(s["DEU"]!.military!, 180 / 150, accuracy: 1e-9)      // milex missing -> milper
        XCTAssertEqual(s["RWA"]!.economic!, 1e-6, accuracy: 1e-15)           // pec missing, irst 0
        XCTAssertEqual(s["MCO"]!.military!, 1)                                // both missing -> median
        XCTAssertEqual(s["RWA"]!.distanceKm, 0)
        XCTAssertEqual(s["RWA"]!.group, .africa)
        XCTAssertEqual(s["FRA"]!.distanceKm!, 6253.41, accuracy: 1e-9)
        XCTAssertEqual(s["BEL"]!.links.tie, 1.0)
        XCTAssertEqual(s["DEU"]!.links.tie, 0.5)
        XCTAssertEqual(s["FRA"]!.links.tie, 0.0)
        XCTAssertEqual(s["COD"]!.contiguous, true)                            // via CEPII ZAR
        XCTAssertEqual(s["ROU"]!.distanceKm!, 5700.3, accuracy: 1e-9)         // via CEPII ROM
        XCTAssertEqual(s["TWN"]!.group, .asiaPacific)                         // fallback
        XCTAssertTrue(w.notes.contains { $0.contains("Taiwan") && $0.contains("not in a UN regional group") }, "\(w.notes)")
        XCTAssertTrue(w.notes.contains { $0.contains("milex missing") && $0.contains("DEU") })
    }

    func testStateAbsentFromOneFileIsReported() throws {
        let w = try loadSmall()
        let mco = try XCTUnwrap(w.states.first { $0.iso == "MCO" })
        // Median WEOG distance of the placed states: USA, GBR, FRA, BEL, DEU.
        XCTAssertEqual(mco.distanceKm!, 6359.996, accuracy: 1e-9)
        XCTAssertEqual(mco.contiguous, false)
        XCTAssertTrue(w.notes.contains { $0.hasPrefix("MCO is not in cepii-small.csv") && $0.contains("western_europe_others") }, "\(w.notes)")
        // And the other way: CEPII's CHE has no COW state in the fixture.
        XCTAssertTrue(w.notes.contains { $0.contains("have no COW state") && $0.contains("CHE") }, "\(w.notes)")
        XCTAssertFalse(w.states.contains { $0.iso == "CHE" })
    }

    func testBOMIsHandled() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture("cepii-small.csv"))))
        XCTAssertEqual(Array(bytes.prefix(3)), [0xEF, 0xBB, 0xBF], "the fixture must start with a BOM")
        let withBOM = try loadSmall()
        let noBOM = try tempFile("cepii.csv", Array(bytes.dropFirst(3)))
        let without = try RealDataWorld.load(capabilities: fixture("cow-small.csv"), distances: noBOM, year: 2016, territorial: "RWA")
        XCTAssertEqual(withBOM.states, without.states)
    }

    func testSharedISOCodeInOneYearKeepsBoth() throws {
        let w = try loadSmall(year: 1990)
        XCTAssertEqual(Set(w.states.map(\.iso)), ["COW:GFR", "DEU", "RWA", "USA"])
        XCTAssertTrue(w.notes.contains { $0.contains("COW GFR") && $0.contains("shares ISO DEU") })
    }

    func testMissingColumnNamesTheColumn() {
        let e = realDataError { _ = try self.loadSmall(cow: "cow-missing-column.csv") }
        XCTAssertEqual(e?.file, "cow-missing-column.csv")
        XCTAssertEqual(e?.line, 1)
        XCTAssertTrue(e?.description.contains("missing column 'milex'") == true, e?.description ?? "")
    }

    func testMissingYearSaysWhichYearsExist() {
        let e = realDataError { _ = try self.loadSmall(year: 2003) }
        XCTAssertTrue(e?.description.contains("no rows for year 2003") == true, e?.description ?? "")
        XCTAssertTrue(e?.description.contains("years present: 1990, 2015-2016") == true, e?.description ?? "")
    }

    func testDuplicateRowIsAnError() {
        let e = realDataError { _ = try self.loadSmall(cow: "cow-duplicate.csv") }
        XCTAssertEqual(e?.line, 18)
        XCTAssertTrue(e?.description.contains("duplicate row for state FRN in 2016 (first at line 10)") == true, e?.description ?? "")
    }

    func testMalformedNumberNamesLineAndColumn() {
        let e = realDataError { _ = try self.loadSmall(cow: "cow-malformed.csv") }
        XCTAssertEqual(e?.line, 11)
        XCTAssertTrue(e?.description.contains("column 'pec': '6e4x' is not a number") == true, e?.description ?? "")
    }

    func testMissingFileAndBadEncoding() throws {
        let missing = realDataError { _ = try self.loadSmall(cepii: "nonexistent.csv") }
        XCTAssertTrue(missing?.description.contains("file not found") == true, missing?.description ?? "")
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture("cepii-small.csv"))))
        bytes += Array("C".utf8) + [0xF4] + Array("t,RWA,0,0,0,0,0,0,0,0,1,1,1,1\n".utf8)   // Latin-1 "ô"
        let latin1 = try tempFile("cepii-latin1.csv", bytes)
        let e = realDataError { _ = try RealDataWorld.load(capabilities: self.fixture("cow-small.csv"), distances: latin1, year: 2016, territorial: "RWA") }
        XCTAssertTrue(e?.description.contains("unreadable encoding") == true, e?.description ?? "")
        XCTAssertEqual(e?.line, 15)
    }

    func testTerritorialStateMustBeInBothFiles() {
        let notInCOW = realDataError { _ = try self.loadSmall(territorial: "CHE") }
        XCTAssertTrue(notInCOW?.description.contains("territorial state CHE has no row for 2016") == true, notInCOW?.description ?? "")
        let cowLetters = realDataError { _ = try self.loadSmall(territorial: "FRN") }
        XCTAssertTrue(cowLetters?.description.contains("FRN is the COW code of FRA") == true, cowLetters?.description ?? "")
        let notInCEPII = realDataError { _ = try self.loadSmall(territorial: "MCO") }
        XCTAssertEqual(notInCEPII?.file, "cepii-small.csv")
        XCTAssertTrue(notInCEPII?.description.contains("territorial state MCO is not in the file") == true, notInCEPII?.description ?? "")
    }

    // MARK: the real files

    func realFiles() throws -> (cow: String, cepii: String) {
        let cow = Self.realData.appendingPathComponent("cow-nmc-6.0-abridged.csv").path
        let cepii = Self.realData.appendingPathComponent("cepii-geodist.csv").path
        guard FileManager.default.fileExists(atPath: cow), FileManager.default.fileExists(atPath: cepii) else {
            throw XCTSkip("real data not found at \(Self.realData.path) (put cow-nmc-6.0-abridged.csv and cepii-geodist.csv there to run this test)")
        }
        return (cow, cepii)
    }

    func testRealData2016() throws {
        let (cow, cepii) = try realFiles()
        let w = try RealDataWorld.load(capabilities: cow, distances: cepii, year: 2016, territorial: "RWA")
        XCTAssertEqual(w.states.count, 195)
        XCTAssertFalse(w.states.contains { $0.iso.hasPrefix("COW:") }, "every 2016 state maps to ISO")
        XCTAssertEqual(w.states.map(\.iso), w.states.map(\.iso).sorted())
        let s = Dictionary(uniqueKeysWithValues: w.states.map { ($0.iso, $0) })
        for p5 in ["CHN", "FRA", "GBR", "RUS", "USA"] { XCTAssertNotNil(s[p5], p5) }
        XCTAssertEqual(s["FRA"]!.distanceKm!, 6253, accuracy: 100)
        XCTAssertEqual(s["BEL"]!.links.tie, 1.0)
        XCTAssertEqual(s["COD"]!.contiguous, true)
        XCTAssertEqual(s["USA"]!.military!, 1181, accuracy: 10)               // milex 600,106,000 / median 508,000
        // Absent from CEPII: Monaco, Liechtenstein, Montenegro, South Sudan, Kosovo.
        for iso in ["MCO", "LIE", "MNE", "SSD", "XKX"] {
            XCTAssertTrue(w.notes.contains { $0.hasPrefix("\(iso) is not in cepii-geodist.csv") }, iso)
        }
        XCTAssertEqual(w.notes.filter { $0.contains("is not in cepii-geodist.csv") }.count, 5)
        XCTAssertEqual(w.notes.filter { $0.contains("not in a UN regional group") }.count, 2)    // Taiwan, Kosovo
        XCTAssertTrue(w.notes.contains { $0.contains("COD as ZAR") && $0.contains("SRB as YUG") && $0.contains("TLS as TMP") }, "\(w.notes)")
        print("RealDataWorld 2016 notes:\n" + w.notes.joined(separator: "\n"))
    }

    /// Historical years keep every COW state: states without an ISO code, and predecessors
    /// sharing their successor's code, are kept under their COW letters.
    func testRealDataHistoricalYears() throws {
        let (cow, cepii) = try realFiles()
        let y1990 = try RealDataWorld.load(capabilities: cow, distances: cepii, year: 1990, territorial: "IRQ")
        let ids1990 = Set(y1990.states.map(\.iso))
        XCTAssertTrue(ids1990.isSuperset(of: ["DEU", "COW:GFR", "DDR", "YEM", "COW:YAR", "YMD", "CSK", "SRB", "RUS"]), "\(ids1990.sorted())")
        XCTAssertTrue(y1990.notes.contains { $0.hasPrefix("DDR is not in cepii-geodist.csv") })
        let y1850 = try RealDataWorld.load(capabilities: cow, distances: cepii, year: 1850, territorial: "FRA")
        XCTAssertTrue(y1850.states.contains { $0.iso == "COW:BAV" && $0.group == .westernEuropeOthers })
        XCTAssertTrue(y1850.notes.contains { $0.contains("Bavaria (COW BAV) has no ISO code") }, "\(y1850.notes)")
        print("RealDataWorld 1850 notes:\n" + y1850.notes.joined(separator: "\n"))
    }

    /// Every COW state of 2016 maps, and every ISO code of the table is in CEPII (directly or
    /// through an alias) except the documented ones.
    func testRealDataCodeCoverage() throws {
        let (cow, cepii) = try realFiles()
        let cowCSV = try CSVFile(path: cow, required: ["stateabb", "ccode", "year"])
        let abbs = Set(cowCSV.records.map { cowCSV.field($0.1, "stateabb") })
        let abbs2016 = Set(cowCSV.records.filter { cowCSV.field($0.1, "year") == "2016" }.map { cowCSV.field($0.1, "stateabb") })
        XCTAssertEqual(abbs.count, 217)
        XCTAssertEqual(abbs, Set(CountryCodes.table.map(\.cow)))
        XCTAssertEqual(abbs2016.count, 195)
        for a in abbs2016 { XCTAssertNotNil(CountryCodes.iso(cowAbbreviation: a), a) }
        let cepiiCSV = try CSVFile(path: cepii, required: ["iso_o"])
        let origins = Set(cepiiCSV.records.map { cepiiCSV.field($0.1, "iso_o") })
        let absent = Set(CountryCodes.table.compactMap(\.iso).filter { !origins.contains($0) && !origins.contains(CountryCodes.cepiiAliases[$0] ?? "") })
        XCTAssertEqual(absent, ["MCO", "LIE", "MNE", "SSD", "XKX", "DDR", "CSK", "YMD"])
    }
}
