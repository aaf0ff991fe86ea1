import Storage

/// The tables of the record: actors, sources, meetings, statements, initiatives.
///
/// Lists keep their order through a `position` column. Derived data has exactly one home:
/// `meeting_countries` and `statement_countries` exist only so that the country filters of
/// the API are index lookups instead of scans; they are rewritten by `DerivedCountries` in the
/// same transaction as every write that can change them (a participant, a speaker, an actor's
/// country, a statement's meeting), never by anything else. An initiative's `status` and
/// `status_date` columns mirror the latest history entry for the same reason and are written
/// only by `InitiativeStatus.refresh`.
enum RecordSchema {
    static let migration = Migration(version: 4, name: "record", apply: create)

    static let kinds = ["meeting", "visit", "call", "summit", "dialogue", "negotiation", "exercise", "other"]
    static let roles = ["host", "guest", "delegate", "observer", "mediator"]
    static let channels = [
        "press_statement", "press_conference", "social_media", "speech", "interview", "joint_statement", "communique",
        "report", "other",
    ]
    static let statuses = ["proposed", "under_discussion", "agreed", "active", "suspended", "completed", "cancelled"]
    static let areas = [
        "defense_dialogue", "military_training", "military_education", "joint_exercise", "peacekeeping", "demining",
        "disaster_relief", "counterterrorism", "human_trafficking", "drug_trafficking", "maritime_security",
        "cybersecurity", "arms_transfer", "trade", "investment", "development_aid", "health", "education", "climate",
        "energy", "culture", "migration", "law_enforcement", "diplomacy", "other",
    ]
    static let precisions = ["day", "month", "year"]

    /// `column IN ('a', 'b', ...)` for a CHECK constraint. The values are our own constants.
    static func oneOf(_ column: String, _ values: [String]) -> String {
        "\(column) IN (" + values.map { "'\($0)'" }.joined(separator: ", ") + ")"
    }

    private static let stamps = """
        created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            version INTEGER NOT NULL CHECK (version >= 1)
        """

    static func create(_ db: any Database) throws {
        try db.execute(
            """
            CREATE TABLE actors (
                id TEXT PRIMARY KEY NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('person', 'organization')),
                name TEXT NOT NULL,
                country TEXT REFERENCES countries(code),
                description TEXT,
                \(stamps),
                CHECK (country IS NOT NULL OR kind = 'organization')
            );
            CREATE INDEX actors_name ON actors(name COLLATE NOCASE, id);
            CREATE INDEX actors_country_name ON actors(country, name COLLATE NOCASE, id);
            CREATE INDEX actors_kind_name ON actors(kind, name COLLATE NOCASE, id);
            CREATE TABLE actor_aliases (
                actor_id TEXT NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                alias TEXT NOT NULL,
                PRIMARY KEY (actor_id, position)
            ) WITHOUT ROWID;
            CREATE TABLE actor_roles (
                actor_id TEXT NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                title TEXT NOT NULL,
                organization_id TEXT REFERENCES actors(id),
                start_date TEXT,
                end_date TEXT,
                PRIMARY KEY (actor_id, position)
            ) WITHOUT ROWID;
            CREATE INDEX actor_roles_organization ON actor_roles(organization_id) WHERE organization_id IS NOT NULL;

            CREATE TABLE sources (
                id TEXT PRIMARY KEY NOT NULL,
                title TEXT NOT NULL,
                url TEXT UNIQUE,
                publisher TEXT,
                published_on TEXT,
                author TEXT,
                \(stamps)
            );

            CREATE TABLE meetings (
                id TEXT PRIMARY KEY NOT NULL,
                title TEXT NOT NULL,
                date TEXT NOT NULL,
                date_precision TEXT NOT NULL CHECK (\(oneOf("date_precision", precisions))),
                kind TEXT NOT NULL CHECK (\(oneOf("kind", kinds))),
                location_city TEXT,
                location_country TEXT REFERENCES countries(code),
                summary TEXT,
                \(stamps)
            );
            CREATE INDEX meetings_date ON meetings(date, id);
            CREATE INDEX meetings_kind_date ON meetings(kind, date, id);
            CREATE TABLE meeting_participants (
                meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                actor_id TEXT NOT NULL REFERENCES actors(id),
                role TEXT NOT NULL CHECK (\(oneOf("role", roles))),
                PRIMARY KEY (meeting_id, position),
                UNIQUE (meeting_id, actor_id)
            ) WITHOUT ROWID;
            CREATE INDEX meeting_participants_actor ON meeting_participants(actor_id, meeting_id);
            CREATE TABLE meeting_topics (
                meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                topic TEXT NOT NULL CHECK (\(oneOf("topic", areas))),
                PRIMARY KEY (meeting_id, position)
            ) WITHOUT ROWID;
            CREATE INDEX meeting_topics_topic ON meeting_topics(topic, meeting_id);
            CREATE TABLE meeting_sources (
                meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                source_id TEXT NOT NULL REFERENCES sources(id),
                PRIMARY KEY (meeting_id, position)
            ) WITHOUT ROWID;
            CREATE INDEX meeting_sources_source ON meeting_sources(source_id);
            CREATE TABLE meeting_countries (
                meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
                country TEXT NOT NULL,
                date TEXT NOT NULL,
                PRIMARY KEY (meeting_id, country)
            ) WITHOUT ROWID;
            CREATE INDEX meeting_countries_country_date ON meeting_countries(country, date, meeting_id);

            CREATE TABLE statements (
                id TEXT PRIMARY KEY NOT NULL,
                speaker_id TEXT NOT NULL REFERENCES actors(id),
                date TEXT NOT NULL,
                date_precision TEXT NOT NULL CHECK (\(oneOf("date_precision", precisions))),
                channel TEXT NOT NULL CHECK (\(oneOf("channel", channels))),
                platform TEXT,
                text TEXT NOT NULL,
                paraphrase INTEGER NOT NULL CHECK (paraphrase IN (0, 1)),
                language TEXT,
                meeting_id TEXT REFERENCES meetings(id),
                \(stamps)
            );
            CREATE INDEX statements_date ON statements(date, id);
            CREATE INDEX statements_speaker_date ON statements(speaker_id, date, id);
            CREATE INDEX statements_channel_date ON statements(channel, date, id);
            CREATE INDEX statements_meeting ON statements(meeting_id, date, id) WHERE meeting_id IS NOT NULL;
            CREATE TABLE statement_about (
                statement_id TEXT NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                country TEXT NOT NULL REFERENCES countries(code),
                PRIMARY KEY (statement_id, position)
            ) WITHOUT ROWID;
            CREATE TABLE statement_topics (
                statement_id TEXT NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                topic TEXT NOT NULL CHECK (\(oneOf("topic", areas))),
                PRIMARY KEY (statement_id, position)
            ) WITHOUT ROWID;
            CREATE INDEX statement_topics_topic ON statement_topics(topic, statement_id);
            CREATE TABLE statement_sources (
                statement_id TEXT NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                source_id TEXT NOT NULL REFERENCES sources(id),
                PRIMARY KEY (statement_id, position)
            ) WITHOUT ROWID;
            CREATE INDEX statement_sources_source ON statement_sources(source_id);
            CREATE TABLE statement_countries (
                statement_id TEXT NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
                country TEXT NOT NULL,
                date TEXT NOT NULL,
                PRIMARY KEY (statement_id, country)
            ) WITHOUT ROWID;
            CREATE INDEX statement_countries_country_date ON statement_countries(country, date, statement_id);

            CREATE TABLE initiatives (
                id TEXT PRIMARY KEY NOT NULL,
                title TEXT NOT NULL,
                area TEXT NOT NULL CHECK (\(oneOf("area", areas))),
                status TEXT NOT NULL CHECK (\(oneOf("status", statuses))),
                status_date TEXT NOT NULL,
                description TEXT,
                start_date TEXT,
                end_date TEXT,
                \(stamps)
            );
            CREATE INDEX initiatives_status_date ON initiatives(status_date, id);
            CREATE INDEX initiatives_status ON initiatives(status, status_date, id);
            CREATE INDEX initiatives_area ON initiatives(area, status_date, id);
            CREATE TABLE initiative_countries (
                initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                country TEXT NOT NULL REFERENCES countries(code),
                PRIMARY KEY (initiative_id, position)
            ) WITHOUT ROWID;
            CREATE INDEX initiative_countries_country ON initiative_countries(country, initiative_id);
            CREATE TABLE initiative_status_history (
                initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                status TEXT NOT NULL CHECK (\(oneOf("status", statuses))),
                date TEXT NOT NULL,
                note TEXT,
                meeting_id TEXT REFERENCES meetings(id),
                statement_id TEXT REFERENCES statements(id),
                PRIMARY KEY (initiative_id, position)
            ) WITHOUT ROWID;
            CREATE INDEX initiative_status_history_date ON initiative_status_history(date, initiative_id);
            CREATE INDEX initiative_status_history_meeting ON initiative_status_history(meeting_id)
                WHERE meeting_id IS NOT NULL;
            CREATE INDEX initiative_status_history_statement ON initiative_status_history(statement_id)
                WHERE statement_id IS NOT NULL;
            -- One relation, two views: meeting.initiative_ids and initiative.meeting_ids.
            CREATE TABLE initiative_meetings (
                initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
                meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
                PRIMARY KEY (initiative_id, meeting_id)
            ) WITHOUT ROWID;
            CREATE INDEX initiative_meetings_meeting ON initiative_meetings(meeting_id, initiative_id);
            CREATE TABLE initiative_statements (
                initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                statement_id TEXT NOT NULL REFERENCES statements(id),
                PRIMARY KEY (initiative_id, position)
            ) WITHOUT ROWID;
            CREATE INDEX initiative_statements_statement ON initiative_statements(statement_id);
            CREATE TABLE initiative_sources (
                initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                source_id TEXT NOT NULL REFERENCES sources(id),
                PRIMARY KEY (initiative_id, position)
            ) WITHOUT ROWID;
            CREATE INDEX initiative_sources_source ON initiative_sources(source_id);

            -- POST retries: the first response to a key is replayed for the same body.
            CREATE TABLE idempotency_keys (
                key TEXT NOT NULL,
                path TEXT NOT NULL,
                body_hash TEXT NOT NULL,
                status INTEGER NOT NULL,
                location TEXT,
                etag TEXT,
                body BLOB NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (key, path)
            ) WITHOUT ROWID;
            CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
            """)
    }
}
