extension StringProtocol {
    /// Without leading and trailing whitespace (spaces, tabs and line breaks).
    public func trimmingWhitespace() -> Substring {
        let view = self[...]
        let start = view.firstIndex { !$0.isWhitespace } ?? view.endIndex
        let end = view.lastIndex { !$0.isWhitespace }.map { view.index(after: $0) } ?? start
        return Substring(view[start..<end])
    }
}
