import AzdoSystem
import AzdoTestSupport
import Testing

@Suite("Civil dates")
struct CivilDateTests {
    @Test(
        "Unix seconds format as the UTC calendar date",
        arguments: [
            (Int64(0), "1970-01-01"),
            (86_399, "1970-01-01"),
            (86_400, "1970-01-02"),
            (951_782_400, "2000-02-29"),
            (951_868_800, "2000-03-01"),
            (1_767_225_599, "2025-12-31"),
            (1_767_225_600, "2026-01-01"),
            (4_102_444_800, "2100-01-01"),
            (4_107_456_000, "2100-02-28"),
            (4_107_542_400, "2100-03-01"),
        ])
    func formats(seconds: Int64, date: String) {
        #expect(CivilDate.string(fromUnixSeconds: seconds) == date)
    }

    @Test(
        "negative seconds count back from the epoch",
        arguments: [
            (Int64(-1), "1969-12-31"),
            (-86_400, "1969-12-31"),
            (-86_401, "1969-12-30"),
            (-2_208_988_800, "1900-01-01"),
        ])
    func negative(seconds: Int64, date: String) {
        #expect(CivilDate.string(fromUnixSeconds: seconds) == date)
    }

    @Test("YYYY-MM-DD parses to 00:00 UTC and round-trips across centuries and leap days")
    func parses() {
        #expect(CivilDate.unixSeconds(from: "1970-01-01") == 0)
        #expect(CivilDate.unixSeconds(from: "2000-02-29") == 951_782_400)
        #expect(CivilDate.unixSeconds(from: "2100-03-01") == 4_107_542_400)
        #expect(CivilDate.unixSeconds(from: "1900-01-01") == -2_208_988_800)
        var generator = SplitMix64(seed: 42)
        for _ in 0..<2_000 {
            let day = Int64.random(in: -100_000...100_000, using: &generator) * 86_400
            #expect(CivilDate.unixSeconds(from: CivilDate.string(fromUnixSeconds: day)) == day)
        }
    }

    @Test(
        "anything but a real YYYY-MM-DD date is refused",
        arguments: ["", "2026-02-30", "2026-13-01", "2026-00-10", "2026-1-01", "26-01-01", "2026/01/01",
                    "2026-01-01T00:00:00Z", " 2026-01-01", "２０２６-01-01", "2025-02-29", "2026-04-31"])
    func refuses(text: String) {
        #expect(CivilDate.unixSeconds(from: text) == nil)
    }
}
