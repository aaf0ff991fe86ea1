import HTTPCore
import Storage

/// `GET /v1/relations`, and one relation's summary, timeline and activity.
struct RelationRoutes {
    let store: any DatabaseStore
    let cursors: CursorCodec

    /// How many topics and actors the summary names.
    static let topCount = 10

    func register(in router: inout Router) {
        router.get("/v1/relations") { request in try list(request) }
        router.get("/v1/relations/{a}/{b}") { request in try summary(request) }
        router.get("/v1/relations/{a}/{b}/timeline") { request in try timeline(request) }
        router.get("/v1/relations/{a}/{b}/activity") { request in try activity(request) }
    }

    /// Pairs with a shared record, most shared records first, ties by the pair's codes.
    func list(_ request: Request) throws -> Response {
        let query = try QueryParameters(request, allowed: ["country", "limit", "cursor"])
        let countries = try ListFilters.countries(query)
        guard countries.count <= 1 else {
            throw APIError.invalidParameter("country", "give one country, or none for every pair")
        }
        let limit = try query.limit()
        let scope = "relations|\(countries.first ?? "")"
        var after: (total: Int, a: String, b: String)?
        if let cursor = try query.single("cursor") {
            let key = try cursors.decode(cursor, scope: scope, count: 3)
            guard let total = Int(key[0]) else {
                throw APIError.invalidParameter("cursor", "is not a cursor this server issued")
            }
            after = (total, key[1], key[2])
        }
        let (relations, next) = try store.read { db -> ([RelationCounts], String?) in
            var relations = try RelationRepository.pairs(involving: countries.first, in: db)
            relations.sort { ($1.total, $0.pair.a, $0.pair.b) < ($0.total, $1.pair.a, $1.pair.b) }
            if let after {
                relations.removeAll { ($0.total, after.a, after.b) >= (after.total, $0.pair.a, $0.pair.b) }
            }
            let next = ListFilters.trim(&relations, limit: limit) {
                cursors.encode([String($0.total), $0.pair.a, $0.pair.b], scope: scope)
            }
            for index in relations.indices {
                (relations[index].firstDate, relations[index].lastDate) = try RelationRepository.eventDates(
                    of: relations[index].pair, in: db)
            }
            return (relations, next)
        }
        return Representation.page(relations, nextCursor: next, for: request) { relation, json in
            json.beginObject()
            relation.writeMembers(to: &json)
            json.endObject()
        }
    }

    /// The pair at a glance: counts, initiatives by status, first and last event, top topics and actors.
    func summary(_ request: Request) throws -> Response {
        let pair = try CountryPair.of(request)
        _ = try QueryParameters(request, allowed: [])
        var json = JSONWriter(reservingCapacity: 2048)
        try store.read { db in
            let counts = try RelationRepository.counts(of: pair, in: db)
            let details = try RelationRepository.details(of: pair, top: Self.topCount, in: db)
            let statuses = details.initiativesByStatus
            let topics = details.topTopics
            let actors = details.topActors
            json.beginObject()
            counts.writeMembers(to: &json)
            json.key("initiatives_by_status")
            json.beginObject()
            for status in RecordSchema.statuses {
                json.key(escaping: status)
                json.int(statuses[status] ?? 0)
            }
            json.endObject()
            json.key("top_topics")
            json.beginArray()
            for topic in topics {
                json.beginObject()
                json.key("topic")
                json.string(topic.topic)
                json.key("count")
                json.int(topic.count)
                json.endObject()
            }
            json.endArray()
            json.key("top_actors")
            json.beginArray()
            for actor in actors {
                json.beginObject()
                json.key("id")
                json.string(actor.id)
                json.key("name")
                json.string(actor.name)
                json.key("kind")
                json.string(actor.kind)
                json.key("country")
                json.optionalString(actor.country)
                json.key("meetings")
                json.int(actor.meetings)
                json.key("statements")
                json.int(actor.statements)
                json.key("total")
                json.int(actor.meetings + actor.statements)
                json.endObject()
            }
            json.endArray()
            json.endObject()
        }
        return Representation.json(json.bytes, for: request)
    }

    /// Meetings, statements and status changes of the pair, one list by date.
    func timeline(_ request: Request) throws -> Response {
        let pair = try CountryPair.of(request)
        let query = try QueryParameters(request, allowed: ["order", "types", "from", "to", "limit", "cursor"])
        var timeline = TimelineQuery(pair: pair)
        switch try query.single("order") ?? "desc" {
        case "desc": timeline.ascending = false
        case "asc": timeline.ascending = true
        case let other: throw APIError.invalidParameter("order", "unknown order '\(other)'; accepted: desc, asc")
        }
        let types = try query.enumeration("types", accepted: TimelineType.names)
        if !types.isEmpty { timeline.types = TimelineType.allCases.filter { types.contains($0.rawValue) } }
        (timeline.from, timeline.to) = try ListFilters.dateRange(query)
        timeline.limit = try query.limit()
        let scope = [
            "timeline", pair.a, pair.b, timeline.types.map(\.rawValue).joined(separator: ","), timeline.from ?? "",
            timeline.to ?? "", String(timeline.ascending),
        ].joined(separator: "|")
        if let cursor = try query.single("cursor") {
            let key = try cursors.decode(cursor, scope: scope, count: 4)
            guard let rank = Int(key[1]), (0...2).contains(rank), let index = Int(key[3]) else {
                throw APIError.invalidParameter("cursor", "is not a cursor this server issued")
            }
            timeline.after = .init(date: key[0], type: TimelineType(rank: rank), id: key[2], index: index)
        }
        let (page, next) = try store.read { db -> (TimelinePage, String?) in
            var keys = try timeline.page(in: db)
            let next = ListFilters.trim(&keys, limit: timeline.limit) {
                cursors.encode([$0.date, String($0.type.rank), $0.id, String($0.index)], scope: scope)
            }
            return (try TimelinePage(keys: keys, in: db), next)
        }
        return Representation.page(page.keys, nextCursor: next, for: request) { key, json in
            page.write(key, to: &json)
        }
    }

    /// Events per period and type, every period of the range present; ready for a chart.
    func activity(_ request: Request) throws -> Response {
        let pair = try CountryPair.of(request)
        let query = try QueryParameters(request, allowed: ["interval", "from", "to"])
        let intervalName = try query.single("interval") ?? "month"
        guard let interval = ActivityInterval(rawValue: intervalName) else {
            throw APIError.invalidParameter(
                "interval",
                "unknown interval '\(intervalName)'; accepted: \(ActivityInterval.names.joined(separator: ", "))")
        }
        let (givenFrom, givenTo) = try ListFilters.dateRange(query)
        let (range, events) = try store.read { db -> ((from: String, to: String)?, [(TimelineType, String, Int)]) in
            var from = givenFrom
            var to = givenTo
            if from == nil || to == nil {
                // SPEC leaves the default range to us: the pair's first to last event.
                let events = try RelationRepository.eventDates(of: pair, in: db)
                from = from ?? events.first ?? to
                to = to ?? events.last ?? from
                if let f = from, let t = to, f > t {
                    if givenFrom != nil { to = f } else { from = t }
                }
            }
            guard let from, let to else { return (nil, []) }
            let events = try RelationRepository.eventsPerDay(of: pair, from: from, to: to, in: db)
            return ((from, to), events.map { ($0.type, $0.date, $0.count) })
        }
        var json = JSONWriter(reservingCapacity: 4096)
        json.beginObject()
        pair.write(to: &json)
        json.key("interval")
        json.string(interval.rawValue)
        json.key("from")
        json.optionalString(range?.from)
        json.key("to")
        json.optionalString(range?.to)
        json.key("data")
        json.beginArray()
        if let range, let first = interval.period(of: range.from), let last = interval.period(of: range.to) {
            guard last - first < ActivityInterval.maxPeriods else {
                throw APIError.invalidParameter(
                    "interval",
                    "\(last - first + 1) \(interval.rawValue)s from \(range.from) to \(range.to) is more than "
                        + "\(ActivityInterval.maxPeriods) periods; narrow from/to or use a longer interval")
            }
            var counts = Array(repeating: [0, 0, 0], count: last - first + 1)
            for (type, date, count) in events {
                guard let period = interval.period(of: date), period >= first, period <= last else { continue }
                counts[period - first][type.rank] += count
            }
            for (offset, row) in counts.enumerated() {
                let period = first + offset
                let bounds = interval.bounds(period)
                json.beginObject()
                json.key("period")
                json.string(interval.label(period))
                json.key("start")
                json.string(bounds.start)
                json.key("end")
                json.string(bounds.end)
                json.key("meetings")
                json.int(row[0])
                json.key("statements")
                json.int(row[1])
                json.key("status_changes")
                json.int(row[2])
                json.key("total")
                json.int(row[0] + row[1] + row[2])
                json.endObject()
            }
        }
        json.endArray()
        json.endObject()
        return Representation.json(json.bytes, for: request)
    }
}
