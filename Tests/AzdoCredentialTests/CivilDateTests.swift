import AzdoCredential
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
}
