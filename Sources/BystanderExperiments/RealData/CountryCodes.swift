import BystanderCore

/// Joins the Correlates of War state list (COW letter and number codes) to ISO 3166-1
/// alpha-3 codes, to the codes CEPII GeoDist uses, and to the UN electoral groups.
///
/// The table covers every state in COW National Material Capabilities v6.0 (1816-2016).
/// Decisions worth knowing:
/// - Historical states with no ISO code at all map to nil: Hanover (HAN), Bavaria (BAV),
///   Baden (BAD), Saxony (SAX), Württemberg (WRT), Hesse-Kassel (HSE), Hesse-Darmstadt (HSG),
///   Mecklenburg-Schwerin (MEC), Austria-Hungary (AUH), the Papal States (PAP), the Two
///   Sicilies (SIC), Modena (MOD), Parma (PMA), Tuscany (TUS), Zanzibar (ZAN), Korea 1887-1905
///   (KOR: NB the COW letters KOR are *not* South Korea, which is ROK) and the Republic of
///   Vietnam (RVN).
/// - Three historical states map to their withdrawn ISO 3166 codes (now in ISO 3166-3), which
///   CEPII does not carry: the German Democratic Republic (GDR -> DDR), Czechoslovakia
///   (COW CZE -> CSK; NB ISO CZE is the Czech Republic, COW CZR) and South Yemen (YPR -> YMD).
/// - Two predecessor states share their successor's code one way only: West Germany
///   (GFR -> DEU) and North Yemen (YAR -> YEM); `cow(iso:)` returns the successor (GMY, YEM).
///   COW itself continues Serbia as YUG (345), Russia as RUS (365, the Soviet Union 1922-91)
///   and Vietnam as DRV (816), so those map to SRB, RUS and VNM.
/// - Kosovo (KOS) has no official ISO code; it maps to XKX, the user-assigned code used by
///   the European Commission, the IMF and the World Bank.
public enum CountryCodes {
    /// One COW state: letters, number, ISO alpha-3 (nil if none) and an English name.
    public struct Entry: Sendable, Equatable {
        public let cow: String
        public let ccode: Int
        public let iso: String?
        public let name: String
    }

    /// COW states in COW-number order. The third field is the ISO alpha-3 code ("" = none).
    public static let table: [Entry] = rawTable.map { Entry(cow: $0.1, ccode: $0.0, iso: $0.2.isEmpty ? nil : $0.2, name: $0.3) }

    /// Predecessors whose ISO code belongs to a successor (so the reverse lookup skips them).
    public static let predecessors: Set<String> = ["GFR", "YAR"]

    /// Withdrawn ISO 3166 codes used for historical states (none is in CEPII GeoDist).
    public static let withdrawnISO: Set<String> = ["DDR", "CSK", "YMD"]

    /// ISO alpha-3 code -> the code CEPII GeoDist uses where it differs (CEPII predates some
    /// ISO changes). The loader tries the ISO code first, then this alias, so it works with
    /// both older (ROM) and newer (ROU) CEPII releases. NB CEPII PAL is Palestine, while COW
    /// PAL is Palau (ISO PLW).
    public static let cepiiAliases: [String: String] = [
        "COD": "ZAR", // DR Congo (old Zaire code)
        "ROU": "ROM", // Romania (ISO changed ROM -> ROU in 2002; this CEPII copy has ROU)
        "SRB": "YUG", // Serbia: CEPII has Serbia and Montenegro as YUG
        "TLS": "TMP", // Timor-Leste (old East Timor code)
        "PSE": "PAL", // Palestine (not a COW state; listed for completeness)
    ]

    public static func iso(cowAbbreviation abb: String) -> String? { byCOW[abb.uppercased()]?.iso }
    public static func iso(cowCode: Int) -> String? { byCode[cowCode]?.iso }
    public static func entry(cowAbbreviation abb: String) -> Entry? { byCOW[abb.uppercased()] }
    public static func entry(cowCode: Int) -> Entry? { byCode[cowCode] }

    /// The COW letters of the state that holds this ISO code now (GMY for DEU, not GFR), so
    /// `iso(cowAbbreviation: cow(iso: x)!) == x` for every code in the table.
    public static func cow(iso: String) -> String? { byISO[iso.uppercased()]?.cow }

    /// The UN electoral group of a current UN member (193); nil for non-members (Taiwan,
    /// Kosovo, Palestine, the Holy See), for historical states and for unknown codes.
    public static func group(iso: String) -> RegionalGroup? { unGroups[iso.uppercased()] }

    /// A stand-in group for states with none (non-members and historical states), from the
    /// region COW numbers encode: 2-199 the Americas -> Latin America and Caribbean;
    /// 200-299 western Europe -> WEOG, except the German Democratic Republic (265, which sat in
    /// the Eastern European group while a member); 300-399 central and eastern Europe ->
    /// Eastern Europe, except the Italian states and Malta (325-338) -> WEOG; 400-626 Africa;
    /// 627 and above (Middle East, Asia, Oceania) -> Asia-Pacific. So Kosovo -> Eastern
    /// Europe, Taiwan -> Asia-Pacific.
    public static func fallbackGroup(cowCode c: Int) -> RegionalGroup {
        switch c {
        case ..<200: return .latinAmericaCaribbean
        case 265: return .easternEurope
        case 200..<300, 325...338: return .westernEuropeOthers
        case 300..<400: return .easternEurope
        case 400...626: return .africa
        default: return .asiaPacific
        }
    }

    /// Current UN members by electoral group. The US (an observer of WEOG) and Israel are
    /// counted in WEOG, Türkiye in WEOG (its electoral group), Kiribati in Asia-Pacific, and
    /// Cyprus in Asia-Pacific. Counts: 54, 54, 23, 33, 29 = 193.
    public static let members: [RegionalGroup: [String]] = [
        .africa: """
            DZA AGO BEN BWA BFA BDI CPV CMR CAF TCD COM COG COD CIV DJI EGY GNQ ERI SWZ ETH GAB GMB \
            GHA GIN GNB KEN LSO LBR LBY MDG MWI MLI MRT MUS MAR MOZ NAM NER NGA RWA STP SEN SYC SLE \
            SOM ZAF SSD SDN TGO TUN UGA TZA ZMB ZWE
            """,
        .asiaPacific: """
            AFG BHR BGD BTN BRN KHM CHN CYP PRK FJI IND IDN IRN IRQ JPN JOR KAZ KIR KWT KGZ LAO LBN \
            MYS MDV MHL FSM MNG MMR NRU NPL OMN PAK PLW PNG PHL QAT KOR WSM SAU SGP SLB LKA SYR TJK \
            THA TLS TON TKM TUV ARE UZB VUT VNM YEM
            """,
        .easternEurope: """
            ALB ARM AZE BLR BIH BGR HRV CZE EST GEO HUN LVA LTU MNE MKD POL MDA ROU RUS SRB SVK SVN UKR
            """,
        .latinAmericaCaribbean: """
            ATG ARG BHS BRB BLZ BOL BRA CHL COL CRI CUB DMA DOM ECU SLV GRD GTM GUY HTI HND JAM MEX \
            NIC PAN PRY PER KNA LCA VCT SUR TTO URY VEN
            """,
        .westernEuropeOthers: """
            AND AUS AUT BEL CAN DNK FIN FRA DEU GRC ISL IRL ISR ITA LIE LUX MLT MCO NLD NZL NOR PRT \
            SMR ESP SWE CHE TUR GBR USA
            """,
    ].mapValues { $0.split(separator: " ").map(String.init) }

    static let byCOW = Dictionary(uniqueKeysWithValues: table.map { ($0.cow, $0) })
    static let byCode = Dictionary(uniqueKeysWithValues: table.map { ($0.ccode, $0) })
    static let byISO: [String: Entry] = Dictionary(uniqueKeysWithValues:
        table.filter { $0.iso != nil && !predecessors.contains($0.cow) }.map { ($0.iso!, $0) })
    static let unGroups: [String: RegionalGroup] = Dictionary(uniqueKeysWithValues:
        members.flatMap { group, codes in codes.map { ($0, group) } })

    // (ccode, COW letters, ISO alpha-3 or "", name) for every state in COW NMC 6.0.
    private static let rawTable: [(Int, String, String, String)] = [
        (2, "USA", "USA", "United States"), (20, "CAN", "CAN", "Canada"), (31, "BHM", "BHS", "Bahamas"),
        (40, "CUB", "CUB", "Cuba"), (41, "HAI", "HTI", "Haiti"), (42, "DOM", "DOM", "Dominican Republic"),
        (51, "JAM", "JAM", "Jamaica"), (52, "TRI", "TTO", "Trinidad and Tobago"), (53, "BAR", "BRB", "Barbados"),
        (54, "DMA", "DMA", "Dominica"), (55, "GRN", "GRD", "Grenada"), (56, "SLU", "LCA", "Saint Lucia"),
        (57, "SVG", "VCT", "Saint Vincent and the Grenadines"), (58, "AAB", "ATG", "Antigua and Barbuda"),
        (60, "SKN", "KNA", "Saint Kitts and Nevis"), (70, "MEX", "MEX", "Mexico"), (80, "BLZ", "BLZ", "Belize"),
        (90, "GUA", "GTM", "Guatemala"), (91, "HON", "HND", "Honduras"), (92, "SAL", "SLV", "El Salvador"),
        (93, "NIC", "NIC", "Nicaragua"), (94, "COS", "CRI", "Costa Rica"), (95, "PAN", "PAN", "Panama"),
        (100, "COL", "COL", "Colombia"), (101, "VEN", "VEN", "Venezuela"), (110, "GUY", "GUY", "Guyana"),
        (115, "SUR", "SUR", "Suriname"), (130, "ECU", "ECU", "Ecuador"), (135, "PER", "PER", "Peru"),
        (140, "BRA", "BRA", "Brazil"), (145, "BOL", "BOL", "Bolivia"), (150, "PAR", "PRY", "Paraguay"),
        (155, "CHL", "CHL", "Chile"), (160, "ARG", "ARG", "Argentina"), (165, "URU", "URY", "Uruguay"),
        (200, "UKG", "GBR", "United Kingdom"), (205, "IRE", "IRL", "Ireland"), (210, "NTH", "NLD", "Netherlands"),
        (211, "BEL", "BEL", "Belgium"), (212, "LUX", "LUX", "Luxembourg"), (220, "FRN", "FRA", "France"),
        (221, "MNC", "MCO", "Monaco"), (223, "LIE", "LIE", "Liechtenstein"), (225, "SWZ", "CHE", "Switzerland"),
        (230, "SPN", "ESP", "Spain"), (232, "AND", "AND", "Andorra"), (235, "POR", "PRT", "Portugal"),
        (240, "HAN", "", "Hanover"), (245, "BAV", "", "Bavaria"),
        (255, "GMY", "DEU", "Germany (Prussia before 1871)"), (260, "GFR", "DEU", "German Federal Republic"),
        (265, "GDR", "DDR", "German Democratic Republic"), (267, "BAD", "", "Baden"), (269, "SAX", "", "Saxony"),
        (271, "WRT", "", "Württemberg"), (273, "HSE", "", "Hesse-Kassel"), (275, "HSG", "", "Hesse-Darmstadt"),
        (280, "MEC", "", "Mecklenburg-Schwerin"), (290, "POL", "POL", "Poland"),
        (300, "AUH", "", "Austria-Hungary"), (305, "AUS", "AUT", "Austria"), (310, "HUN", "HUN", "Hungary"),
        (315, "CZE", "CSK", "Czechoslovakia"), (316, "CZR", "CZE", "Czech Republic"), (317, "SLO", "SVK", "Slovakia"),
        (325, "ITA", "ITA", "Italy (Sardinia before 1861)"), (327, "PAP", "", "Papal States"),
        (329, "SIC", "", "Two Sicilies"), (331, "SNM", "SMR", "San Marino"), (332, "MOD", "", "Modena"),
        (335, "PMA", "", "Parma"), (337, "TUS", "", "Tuscany"), (338, "MLT", "MLT", "Malta"),
        (339, "ALB", "ALB", "Albania"), (341, "MNG", "MNE", "Montenegro"), (343, "MAC", "MKD", "North Macedonia"),
        (344, "CRO", "HRV", "Croatia"), (345, "YUG", "SRB", "Serbia (Yugoslavia to 2006)"),
        (346, "BOS", "BIH", "Bosnia and Herzegovina"), (347, "KOS", "XKX", "Kosovo"), (349, "SLV", "SVN", "Slovenia"),
        (350, "GRC", "GRC", "Greece"), (352, "CYP", "CYP", "Cyprus"), (355, "BUL", "BGR", "Bulgaria"),
        (359, "MLD", "MDA", "Moldova"), (360, "ROM", "ROU", "Romania"), (365, "RUS", "RUS", "Russia (Soviet Union 1922-1991)"),
        (366, "EST", "EST", "Estonia"), (367, "LAT", "LVA", "Latvia"), (368, "LIT", "LTU", "Lithuania"),
        (369, "UKR", "UKR", "Ukraine"), (370, "BLR", "BLR", "Belarus"), (371, "ARM", "ARM", "Armenia"),
        (372, "GRG", "GEO", "Georgia"), (373, "AZE", "AZE", "Azerbaijan"), (375, "FIN", "FIN", "Finland"),
        (380, "SWD", "SWE", "Sweden"), (385, "NOR", "NOR", "Norway"), (390, "DEN", "DNK", "Denmark"),
        (395, "ICE", "ISL", "Iceland"), (402, "CAP", "CPV", "Cabo Verde"), (403, "STP", "STP", "São Tomé and Príncipe"),
        (404, "GNB", "GNB", "Guinea-Bissau"), (411, "EQG", "GNQ", "Equatorial Guinea"), (420, "GAM", "GMB", "Gambia"),
        (432, "MLI", "MLI", "Mali"), (433, "SEN", "SEN", "Senegal"), (434, "BEN", "BEN", "Benin"),
        (435, "MAA", "MRT", "Mauritania"), (436, "NIR", "NER", "Niger"), (437, "CDI", "CIV", "Côte d'Ivoire"),
        (438, "GUI", "GIN", "Guinea"), (439, "BFO", "BFA", "Burkina Faso"), (450, "LBR", "LBR", "Liberia"),
        (451, "SIE", "SLE", "Sierra Leone"), (452, "GHA", "GHA", "Ghana"), (461, "TOG", "TGO", "Togo"),
        (471, "CAO", "CMR", "Cameroon"), (475, "NIG", "NGA", "Nigeria"), (481, "GAB", "GAB", "Gabon"),
        (482, "CEN", "CAF", "Central African Republic"), (483, "CHA", "TCD", "Chad"), (484, "CON", "COG", "Congo"),
        (490, "DRC", "COD", "DR Congo"), (500, "UGA", "UGA", "Uganda"), (501, "KEN", "KEN", "Kenya"),
        (510, "TAZ", "TZA", "Tanzania"), (511, "ZAN", "", "Zanzibar"), (516, "BUI", "BDI", "Burundi"),
        (517, "RWA", "RWA", "Rwanda"), (520, "SOM", "SOM", "Somalia"), (522, "DJI", "DJI", "Djibouti"),
        (530, "ETH", "ETH", "Ethiopia"), (531, "ERI", "ERI", "Eritrea"), (540, "ANG", "AGO", "Angola"),
        (541, "MZM", "MOZ", "Mozambique"), (551, "ZAM", "ZMB", "Zambia"), (552, "ZIM", "ZWE", "Zimbabwe"),
        (553, "MAW", "MWI", "Malawi"), (560, "SAF", "ZAF", "South Africa"), (565, "NAM", "NAM", "Namibia"),
        (570, "LES", "LSO", "Lesotho"), (571, "BOT", "BWA", "Botswana"), (572, "SWA", "SWZ", "Eswatini"),
        (580, "MAG", "MDG", "Madagascar"), (581, "COM", "COM", "Comoros"), (590, "MAS", "MUS", "Mauritius"),
        (591, "SEY", "SYC", "Seychelles"), (600, "MOR", "MAR", "Morocco"), (615, "ALG", "DZA", "Algeria"),
        (616, "TUN", "TUN", "Tunisia"), (620, "LIB", "LBY", "Libya"), (625, "SUD", "SDN", "Sudan"),
        (626, "SSD", "SSD", "South Sudan"), (630, "IRN", "IRN", "Iran"), (640, "TUR", "TUR", "Türkiye"),
        (645, "IRQ", "IRQ", "Iraq"), (651, "EGY", "EGY", "Egypt"), (652, "SYR", "SYR", "Syria"),
        (660, "LEB", "LBN", "Lebanon"), (663, "JOR", "JOR", "Jordan"), (666, "ISR", "ISR", "Israel"),
        (670, "SAU", "SAU", "Saudi Arabia"), (678, "YAR", "YEM", "Yemen Arab Republic"), (679, "YEM", "YEM", "Yemen"),
        (680, "YPR", "YMD", "Yemen People's Republic"), (690, "KUW", "KWT", "Kuwait"), (692, "BAH", "BHR", "Bahrain"),
        (694, "QAT", "QAT", "Qatar"), (696, "UAE", "ARE", "United Arab Emirates"), (698, "OMA", "OMN", "Oman"),
        (700, "AFG", "AFG", "Afghanistan"), (701, "TKM", "TKM", "Turkmenistan"), (702, "TAJ", "TJK", "Tajikistan"),
        (703, "KYR", "KGZ", "Kyrgyzstan"), (704, "UZB", "UZB", "Uzbekistan"), (705, "KZK", "KAZ", "Kazakhstan"),
        (710, "CHN", "CHN", "China"), (712, "MON", "MNG", "Mongolia"), (713, "TAW", "TWN", "Taiwan"),
        (730, "KOR", "", "Korea (1887-1905)"), (731, "PRK", "PRK", "North Korea"), (732, "ROK", "KOR", "South Korea"),
        (740, "JPN", "JPN", "Japan"), (750, "IND", "IND", "India"), (760, "BHU", "BTN", "Bhutan"),
        (770, "PAK", "PAK", "Pakistan"), (771, "BNG", "BGD", "Bangladesh"), (775, "MYA", "MMR", "Myanmar"),
        (780, "SRI", "LKA", "Sri Lanka"), (781, "MAD", "MDV", "Maldives"), (790, "NEP", "NPL", "Nepal"),
        (800, "THI", "THA", "Thailand"), (811, "CAM", "KHM", "Cambodia"), (812, "LAO", "LAO", "Laos"),
        (816, "DRV", "VNM", "Vietnam (North Vietnam 1954-1975)"), (817, "RVN", "", "Republic of Vietnam"),
        (820, "MAL", "MYS", "Malaysia"), (830, "SIN", "SGP", "Singapore"), (835, "BRU", "BRN", "Brunei"),
        (840, "PHI", "PHL", "Philippines"), (850, "INS", "IDN", "Indonesia"), (860, "ETM", "TLS", "Timor-Leste"),
        (900, "AUL", "AUS", "Australia"), (910, "PNG", "PNG", "Papua New Guinea"), (920, "NEW", "NZL", "New Zealand"),
        (935, "VAN", "VUT", "Vanuatu"), (940, "SOL", "SLB", "Solomon Islands"), (946, "KIR", "KIR", "Kiribati"),
        (947, "TUV", "TUV", "Tuvalu"), (950, "FIJ", "FJI", "Fiji"), (955, "TON", "TON", "Tonga"),
        (970, "NAU", "NRU", "Nauru"), (983, "MSI", "MHL", "Marshall Islands"), (986, "PAL", "PLW", "Palau"),
        (987, "FSM", "FSM", "Micronesia"), (990, "WSM", "WSM", "Samoa"),
    ]
}
