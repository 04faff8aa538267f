public import FoundationEssentials

/// The API's ISO-8601 timestamps: `Z`, with or without fractional seconds.
public enum APIDate {
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let withoutFraction = Date.ISO8601FormatStyle()

    /// Parses `text`, or `nil` when it is not such a timestamp.
    public static func parse(_ text: String) -> Date? {
        (try? withFraction.parse(text)) ?? (try? withoutFraction.parse(text))
    }

    /// Formats `date` the way the API writes it (milliseconds, `Z`).
    public static func string(_ date: Date) -> String {
        withFraction.format(date)
    }

    static func decode<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, _ key: Key) throws -> Date {
        let text = try container.decode(String.self, forKey: key)
        guard let date = parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container, debugDescription: "'\(text)' is not an ISO-8601 date-time")
        }
        return date
    }
}
