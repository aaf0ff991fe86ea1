/// The periods `/activity` counts by. A period is numbered from year 0 (months: `year * 12 +
/// month - 1`, quarters: `year * 4 + quarter - 1`), so a range of periods is a range of integers.
enum ActivityInterval: String, CaseIterable, Sendable {
    case month
    case quarter
    case year

    static let names = allCases.map(\.rawValue)

    /// The longest series one request may ask for (200 years of months); past it, a coarser
    /// interval or a shorter range is needed.
    static let maxPeriods = 2400

    private var perYear: Int {
        switch self {
        case .month: 12
        case .quarter: 4
        case .year: 1
        }
    }

    /// The number of the period holding `date` (`YYYY-MM-DD`, already validated); nil if malformed.
    func period(of date: String) -> Int? {
        let parts = date.split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month) else {
            return nil
        }
        return year * perYear + (month - 1) / (12 / perYear)
    }

    /// `2024-06`, `2024-Q2` or `2024`.
    func label(_ period: Int) -> String {
        let (year, index) = period.quotientAndRemainder(dividingBy: perYear)
        switch self {
        case .month: return Self.pad(year, 4) + "-" + Self.pad(index + 1, 2)
        case .quarter: return Self.pad(year, 4) + "-Q\(index + 1)"
        case .year: return Self.pad(year, 4)
        }
    }

    /// The first and last day of the period.
    func bounds(_ period: Int) -> (start: String, end: String) {
        let (year, index) = period.quotientAndRemainder(dividingBy: perYear)
        let firstMonth = index * (12 / perYear) + 1
        let lastMonth = firstMonth + 12 / perYear - 1
        let start = Self.pad(year, 4) + "-" + Self.pad(firstMonth, 2) + "-01"
        let end =
            Self.pad(year, 4) + "-" + Self.pad(lastMonth, 2) + "-" + Self.pad(Self.days(in: lastMonth, of: year), 2)
        return (start, end)
    }

    static func days(in month: Int, of year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
