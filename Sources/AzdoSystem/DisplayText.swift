/// Makes text from the input safe to quote in a one-line message: control characters
/// (which could break the line or drive the terminal) become `\xNN` escapes.
public enum DisplayText {
    /// `text` with every C0 control character and DEL escaped.
    public static func quoted(_ text: some StringProtocol) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
