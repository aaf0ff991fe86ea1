import HTTPTestSupport

/// Deterministic NDJSON import lines of every kind, with references of every kind (roles naming
/// organizations, meetings naming actors, sources and initiatives, statements naming meetings,
/// initiatives naming meetings and statements in their links and history), in shuffled order so
/// that many references point forward.
enum GeneratedRecords {
    static func lines(meetings: Int = 300, seed: UInt64 = 20_261_129) -> [String] {
        var random = SeededGenerator(seed: seed)
        let countries = ["KH", "US", "JP", "FR", "VN", "TH", "CN", "IN"]
        let areas = ["demining", "trade", "health", "military_training", "climate", "disaster_relief"]
        let organizations = (0..<20).map { "org-\($0)" }
        let people = (0..<120).map { "person-\($0)" }
        let sources = (0..<15).map { "src-\($0)" }
        let initiatives = (0..<30).map { "init-\($0)" }
        let meetingIDs = (0..<meetings).map { "meet-\($0)" }
        let statements = (0..<(meetings / 2)).map { "stmt-\($0)" }
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        func date() -> String {
            "2024-\(String(format2: Int(random.next() % 12) + 1))-\(String(format2: Int(random.next() % 28) + 1))"
        }

        var lines: [String] = []
        for id in sources {
            lines.append(
                #"{"type":"source","id":"\#(id)","title":"Source \#(id)","url":"https://example.org/\#(id)","publisher":"Wire"}"#
            )
        }
        for (index, id) in organizations.enumerated() {
            let country = index == 0 ? "null" : "\"\(pick(countries))\""
            lines.append(
                #"{"type":"actor","id":"\#(id)","kind":"organization","name":"Org \#(index)","country":\#(country)}"#)
        }
        for (index, id) in people.enumerated() {
            lines.append(
                #"{"type":"actor","id":"\#(id)","kind":"person","name":"Person \#(index)","aliases":["P\#(index)"],"country":"\#(pick(countries))","roles":[{"title":"Minister","organization_id":"\#(pick(organizations))","start_date":"2020-01-01","end_date":null}]}"#
            )
        }
        for id in meetingIDs {
            let first = pick(people)
            var second = pick(people)
            if second == first { second = people[((people.firstIndex(of: first) ?? 0) + 1) % people.count] }
            let links = random.next() % 3 == 0 ? #"["\#(pick(initiatives))"]"# : "[]"
            lines.append(
                #"{"type":"meeting","id":"\#(id)","title":"Meeting \#(id)","date":"\#(date())","kind":"meeting","location":{"city":"Phnom Penh","country":"KH"},"participants":[{"actor_id":"\#(first)","role":"host"},{"actor_id":"\#(second)","role":"guest"}],"topics":["\#(pick(areas))"],"summary":"Talks.","initiative_ids":\#(links),"source_ids":["\#(pick(sources))"]}"#
            )
        }
        for id in statements {
            lines.append(
                #"{"type":"statement","id":"\#(id)","speaker_id":"\#(pick(people))","date":"\#(date())","channel":"press_statement","platform":null,"text":"Words of \#(id).","language":"en","meeting_id":"\#(pick(meetingIDs))","about":["\#(pick(countries))"],"topics":["\#(pick(areas))"],"source_ids":["\#(pick(sources))"]}"#
            )
        }
        for id in initiatives {
            lines.append(
                #"{"type":"initiative","id":"\#(id)","title":"Initiative \#(id)","area":"\#(pick(areas))","countries":["KH","US"],"status_history":[{"status":"proposed","date":"2023-01-01","note":null,"meeting_id":"\#(pick(meetingIDs))","statement_id":null},{"status":"agreed","date":"2024-01-01","note":"Signed.","meeting_id":null,"statement_id":"\#(pick(statements))"}],"description":null,"meeting_ids":["\#(pick(meetingIDs))"],"statement_ids":["\#(pick(statements))"],"source_ids":[]}"#
            )
        }
        // Fisher–Yates with the same generator: a stable shuffle.
        for index in stride(from: lines.count - 1, to: 0, by: -1) {
            lines.swapAt(index, Int(random.next() % UInt64(index + 1)))
        }
        return lines
    }

}

extension String {
    /// Two digits, zero-padded.
    fileprivate init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }
}
