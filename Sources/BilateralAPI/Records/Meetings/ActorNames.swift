import Storage

/// Actors' names and countries by id, each read once: the participants of an export name the same
/// actors again and again, and a lookup per participant costs more than the rest of its meeting.
///
/// Memory stays bounded however many actors there are: past `capacity` the cache starts afresh.
struct ActorNames {
    static let capacity = 10_000
    private var known: [String: MeetingView.Participant] = [:]

    /// The name and country of actor `id` (an empty name if there is no such actor, as
    /// `MeetingRepository.view(of:in:)` gives).
    mutating func participant(_ id: String, in db: any Database) throws -> MeetingView.Participant {
        if let participant = known[id] { return participant }
        let participant =
            try db.queryOne("SELECT name, country FROM actors WHERE id = ?", [.text(id)]) {
                MeetingView.Participant(name: try $0.string(0), country: $0.optionalString(1))
            } ?? MeetingView.Participant(name: "", country: nil)
        if known.count >= Self.capacity { known.removeAll(keepingCapacity: true) }
        known[id] = participant
        return participant
    }
}
