# The writes of the repositories (RecordService, DerivedCountries, DeferredRefresh), as SQL with
# literals, for SQLite (`sqlite`) or PostgreSQL (`pg PAYLOADS.json`). Checkpoints split the dumps.
import sys
engine = sys.argv[1]  # sqlite | pg
out = []
def sql(s): out.append(s.strip().rstrip(';') + ';')
def ignore(table_cols, rest):
    # INSERT OR IGNORE INTO t (cols) rest
    if engine == 'sqlite': sql(f"INSERT OR IGNORE INTO {table_cols} {rest}")
    else: sql(f"INSERT INTO {table_cols} {rest} ON CONFLICT DO NOTHING")
st = "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1"
def actor(id, kind, name, country, aliases=()):
    c = 'NULL' if country is None else f"'{country}'"
    sql(f"INSERT INTO actors (id, kind, name, country, description, created_at, updated_at, version) VALUES ('{id}', '{kind}', '{name}', {c}, NULL, {st})")
    for i, a in enumerate(aliases):
        sql(f"INSERT INTO actor_aliases (actor_id, position, alias) VALUES ('{id}', {i}, '{a}')")
def recompute_meeting(cond):
    sql(f"DELETE FROM meeting_countries WHERE meeting_id {cond}")
    ignore("meeting_countries (meeting_id, country, date)", f"""SELECT p.meeting_id, a.country, m.date
        FROM meeting_participants p JOIN actors a ON a.id = p.actor_id JOIN meetings m ON m.id = p.meeting_id
        WHERE p.meeting_id {cond} AND a.country IS NOT NULL""")
def recompute_statement(cond):
    sql(f"DELETE FROM statement_countries WHERE statement_id {cond}")
    ignore("statement_countries (statement_id, country, date)", f"""
        SELECT s.id, a.country, s.date FROM statements s JOIN actors a ON a.id = s.speaker_id
        WHERE s.id {cond} AND a.country IS NOT NULL
        UNION
        SELECT s.id, b.country, s.date FROM statements s JOIN statement_about b ON b.statement_id = s.id
        WHERE s.id {cond}
        UNION
        SELECT s.id, mc.country, s.date FROM statements s JOIN meeting_countries mc ON mc.meeting_id = s.meeting_id
        WHERE s.id {cond}""")
def meeting(id, date, participants, topics, new=True, title='Talks', summary=None):
    s = 'NULL' if summary is None else f"'{summary}'"
    if new:
        sql(f"""INSERT INTO meetings (id, title, date, date_precision, kind, location_city, location_country, summary, created_at, updated_at, version)
            VALUES ('{id}', '{title}', '{date}', 'day', 'meeting', NULL, NULL, {s}, {st})""")
    else:
        sql(f"UPDATE meetings SET title = '{title}', date = '{date}', date_precision = 'day', kind = 'visit', location_city = NULL, location_country = NULL, summary = {s}, updated_at = 'x', version = 2 WHERE id = '{id}'")
        for t in ['meeting_participants', 'meeting_topics', 'meeting_sources']:
            sql(f"DELETE FROM {t} WHERE meeting_id = '{id}'")
    for i, (a, r) in enumerate(participants):
        sql(f"INSERT INTO meeting_participants (meeting_id, position, actor_id, role) VALUES ('{id}', {i}, '{a}', '{r}')")
    for i, t in enumerate(topics):
        sql(f"INSERT INTO meeting_topics (meeting_id, position, topic) VALUES ('{id}', {i}, '{t}')")
    recompute_meeting(f"= '{id}'")
    recompute_statement(f"IN (SELECT id FROM statements WHERE meeting_id = '{id}')")
def statement(id, speaker, date, about, topics, meeting=None, new=True, text='We agree'):
    m = 'NULL' if meeting is None else f"'{meeting}'"
    if new:
        sql(f"""INSERT INTO statements (id, speaker_id, date, date_precision, channel, platform, text, paraphrase, language, meeting_id, created_at, updated_at, version)
            VALUES ('{id}', '{speaker}', '{date}', 'day', 'speech', NULL, '{text}', 0, NULL, {m}, {st})""")
    else:
        sql(f"UPDATE statements SET speaker_id = '{speaker}', date = '{date}', text = '{text}', meeting_id = {m}, version = 2 WHERE id = '{id}'")
        for t in ['statement_about', 'statement_topics', 'statement_sources']:
            sql(f"DELETE FROM {t} WHERE statement_id = '{id}'")
    for i, c in enumerate(about):
        sql(f"INSERT INTO statement_about (statement_id, position, country) VALUES ('{id}', {i}, '{c}')")
    for i, t in enumerate(topics):
        sql(f"INSERT INTO statement_topics (statement_id, position, topic) VALUES ('{id}', {i}, '{t}')")
    recompute_statement(f"= '{id}'")
def initiative(id, area, countries, history, new=True):
    if new:
        sql(f"""INSERT INTO initiatives (id, title, area, status, status_date, description, start_date, end_date, created_at, updated_at, version)
            VALUES ('{id}', 'Pact', '{area}', 'proposed', '2026-01-01', 'About trade and élan', NULL, NULL, {st})""")
    else:
        sql(f"UPDATE initiatives SET area = '{area}', version = 2 WHERE id = '{id}'")
        for t in ['initiative_countries', 'initiative_status_history', 'initiative_statements', 'initiative_sources']:
            sql(f"DELETE FROM {t} WHERE initiative_id = '{id}'")
    for i, c in enumerate(countries):
        sql(f"INSERT INTO initiative_countries (initiative_id, position, country) VALUES ('{id}', {i}, '{c}')")
    for i, (s, d) in enumerate(history):
        sql(f"INSERT INTO initiative_status_history (initiative_id, position, status, date, note, meeting_id, statement_id) VALUES ('{id}', {i}, '{s}', '{d}', NULL, NULL, NULL)")
def refresh_for_actor(a):
    recompute_meeting(f"IN (SELECT meeting_id FROM meeting_participants WHERE actor_id = '{a}')")
    recompute_statement(f"""IN (SELECT id FROM statements WHERE speaker_id = '{a}'
        UNION SELECT s.id FROM statements s JOIN meeting_participants p ON p.meeting_id = s.meeting_id WHERE p.actor_id = '{a}')""")

actor('a1', 'person', 'Jean Dupont', 'FR')
actor('a2', 'person', 'Hans Müller', 'DE', ['Hansi'])
actor('a3', 'person', 'Ann Smith', 'US')
actor('o1', 'organization', 'United Nations', None, ['UN', 'ONU'])
actor('a4', 'person', 'Séiha Ñandú', 'FR', ['Lé Grand', 'Bob'])
actor('a5', 'person', 'Taro Yamada', 'JP')
meeting('m1', '2026-02-01', [('a1','host'),('a2','guest'),('a3','guest'),('o1','observer'),('a4','delegate')], ['trade','trade','defense_dialogue'], summary='Séiha spoke')
meeting('m2', '2026-02-03', [('a2','host'),('a5','guest')], ['health'])
statement('s1', 'a1', '2026-02-02', ['DE','US','JP'], ['trade','health','trade'], meeting='m1')
statement('s2', 'a5', '2026-02-04', ['FR'], [], meeting='m2')
statement('s3', 'o1', '2026-02-05', ['BR', 'AR'], ['climate'])
initiative('i1', 'trade', ['FR','DE','US'], [('proposed','2026-01-01'),('agreed','2026-02-01'),('active','2026-03-01')])
initiative('i2', 'health', ['FR','DE'], [('proposed','2026-01-05')])
initiative('i3', 'trade', ['BR'], [])
sql("SELECT 'checkpoint 1'")
# edits
meeting('m1', '2026-02-10', [('a1','host'),('a3','guest'),('a5','guest')], ['health','climate','health'], new=False, title='New talks')
sql("UPDATE actors SET kind = 'person', name = 'Hans Mueller', country = 'JP', description = NULL, updated_at = 'x', version = 2 WHERE id = 'a2'")
sql("DELETE FROM actor_aliases WHERE actor_id = 'a2'"); sql("DELETE FROM actor_roles WHERE actor_id = 'a2'")
sql("INSERT INTO actor_aliases (actor_id, position, alias) VALUES ('a2', 0, 'Hänschen')")
sql("INSERT INTO actor_aliases (actor_id, position, alias) VALUES ('a2', 1, 'H. M.')")
refresh_for_actor('a2')
statement('s1', 'a3', '2026-02-12', ['DE','CN'], ['trade','trade'], meeting='m1', new=False)
sql("UPDATE statements SET speaker_id = 'a4' WHERE id = 's2'")
recompute_statement("= 's2'")
initiative('i1', 'health', ['FR','JP'], [('proposed','2026-01-01'),('cancelled','2026-04-01')], new=False)
sql("DELETE FROM initiatives WHERE id = 'i2'")
sql("DELETE FROM statements WHERE id = 's3'")
sql("DELETE FROM initiative_status_history WHERE initiative_id = 'i1' AND position = 0")
sql("SELECT 'checkpoint 2'")
sql("DELETE FROM statements WHERE id = 's1'")
sql("DELETE FROM meetings WHERE id = 'm1'")
sql("DELETE FROM actors WHERE id = 'o1'")
sql("SELECT 'checkpoint 3'")
# An import: new and changed records whose derived countries are refreshed set by set at the end.
def deferred(body):
    global recompute_meeting, recompute_statement
    saved = (recompute_meeting, recompute_statement)
    if engine == 'pg':
        sql("CREATE TEMPORARY TABLE deferred_meetings (id TEXT COLLATE \"C\" PRIMARY KEY NOT NULL) ON COMMIT DROP")
        sql("CREATE TEMPORARY TABLE deferred_statements (id TEXT COLLATE \"C\" PRIMARY KEY NOT NULL) ON COMMIT DROP")
        recompute_meeting = lambda cond: sql(f"INSERT INTO deferred_meetings (id) SELECT id FROM meetings WHERE id {cond} ON CONFLICT DO NOTHING")
        recompute_statement = lambda cond: sql(f"INSERT INTO deferred_statements (id) SELECT id FROM statements WHERE id {cond} ON CONFLICT DO NOTHING")
    body()
    recompute_meeting, recompute_statement = saved
    if engine == 'pg':
        sql("SELECT set_config('bilateral.suspended_triggers', 'meeting_countries,meeting_pairs,statement_countries,statement_pairs', true)")
        for kind, pairs, id, counter, countries in [('meetings', 'meeting_pairs', 'meeting_id', 'meetings', 'meeting_countries'), ('statements', 'statement_pairs', 'statement_id', 'statements', 'statement_countries')]:
            ids = f"SELECT id FROM deferred_{kind}"
            sql(f"""UPDATE relation_counts SET {counter} = {counter} - g.n
                FROM (SELECT a, b, count(*) AS n FROM {pairs} WHERE {id} IN ({ids}) GROUP BY a, b) AS g
                WHERE relation_counts.a = g.a AND relation_counts.b = g.b""")
            sql(f"""UPDATE pair_topics SET records = records - g.n
                FROM (SELECT p.a, p.b, t.value AS topic, count(*) AS n FROM {pairs} p, json_array_elements_text(p.topics::json) t
                      WHERE p.{id} IN ({ids}) GROUP BY p.a, p.b, t.value) AS g
                WHERE pair_topics.a = g.a AND pair_topics.b = g.b AND pair_topics.topic = g.topic""")
            sql(f"""UPDATE pair_actors SET {counter} = {counter} - g.n
                FROM (SELECT p.a, p.b, t.value AS actor_id, count(*) AS n FROM {pairs} p, json_array_elements_text(p.actors::json) t
                      WHERE p.{id} IN ({ids}) GROUP BY p.a, p.b, t.value) AS g
                WHERE pair_actors.a = g.a AND pair_actors.b = g.b AND pair_actors.actor_id = g.actor_id""")
            sql(f"DELETE FROM {pairs} WHERE {id} IN ({ids})")
            if kind == 'meetings': recompute_meeting(f"IN ({ids})")
            else: recompute_statement(f"IN ({ids})")
            actors, topics = PAYLOADS[kind]
            sql(f"""INSERT INTO {pairs} (a, b, date, {id}, actors, topics)
                SELECT x.country, y.country, x.date, x.{id}, {actors.replace('%', 'x.' + id)}, {topics.replace('%', 'x.' + id)}
                FROM {countries} x JOIN {countries} y ON y.{id} = x.{id} AND y.country > x.country
                WHERE x.{id} IN ({ids}) ORDER BY 1, 2, 3, 4 ON CONFLICT DO NOTHING""")
            sql(f"""INSERT INTO relation_counts (a, b, {counter})
                SELECT a, b, count(*) FROM {pairs} WHERE {id} IN ({ids}) GROUP BY a, b
                ON CONFLICT (a, b) DO UPDATE SET {counter} = relation_counts.{counter} + excluded.{counter}""")
            sql(f"""INSERT INTO pair_topics (a, b, topic, records)
                SELECT p.a, p.b, t.value, count(*) FROM {pairs} p, json_array_elements_text(p.topics::json) t
                WHERE p.{id} IN ({ids}) GROUP BY p.a, p.b, t.value
                ON CONFLICT (a, b, topic) DO UPDATE SET records = pair_topics.records + excluded.records""")
            sql(f"""INSERT INTO pair_actors (a, b, actor_id, {counter})
                SELECT p.a, p.b, t.value, count(*) FROM {pairs} p, json_array_elements_text(p.actors::json) t
                WHERE p.{id} IN ({ids}) GROUP BY p.a, p.b, t.value
                ON CONFLICT (a, b, actor_id) DO UPDATE SET {counter} = pair_actors.{counter} + excluded.{counter}""")
        sql("SELECT set_config('bilateral.suspended_triggers', '', true)")
PAYLOADS = {}
def body():
    meeting('m3', '2026-03-01', [('a1','host'),('a2','guest'),('a4','guest')], ['trade','energy','trade'])
    meeting('m2', '2026-03-02', [('a2','host'),('a5','guest'),('a3','guest')], ['health','energy'], new=False)
    statement('s4', 'a3', '2026-03-03', ['FR', 'BR'], ['energy'], meeting='m3')
    statement('s2', 'a5', '2026-03-04', ['US'], ['trade'], meeting='m2', new=False)
    sql("UPDATE actors SET country = 'BR' WHERE id = 'a1'")
    refresh_for_actor('a1')
import json
if len(sys.argv) > 2: PAYLOADS.update(json.load(open(sys.argv[2])))
deferred(body)
print('\n'.join(out))
