"""schemathesis hooks for scripts/contract-test (loaded with SCHEMATHESIS_HOOKS=contract_hooks).

POST /v1/import takes application/x-ndjson, which schemathesis cannot serialize by itself: its
body is described as a string (one JSON object per line), so it is sent as text, like text/plain.

The positive_data_acceptance check asserts that every request the schema allows is accepted.
A few rules the server enforces are not JSON Schema's to express: they relate a value to
another member, to the path, or to what the database holds. `before_call` (which runs in every
phase) bends each *positive* case to respect exactly those rules, and nothing else, so that the
check still tests everything the schema does say. Negative cases are left as generated, but for
the precondition headers. Each fix-up stands for one rule:

- a body `id` on PUT or PATCH must be the id in the path (the path is not in the body's schema);
- references (`speaker_id`, `actor_id`, `organization_id`, `meeting_id`, `*_ids`) must name
  records that exist; they are mapped onto contract-fixtures.ndjson's records (roles name an
  organisation, not a person), which positive writes leave alone;
- an `Idempotency-Key` reused with another body is a 422: positive cases get a fresh key;
- `from` is not after `to`;
- a list's `q` holds at least one word (a Unicode letter or digit);
- a meeting's participants name each actor once (`uniqueItems` cannot look at one member);
- a date with `date_precision` `month` or `year` is the first day of that period;
- `end_date` is not before `start_date` (a patch giving one clears the stored other);
- the two countries of a relation differ (`a` and `b` are separate parameters), and an
  activity chart spans at most 2400 periods (from, to and interval together);
- a merge patch may clear an actor's `country` only on an organisation (and one making an
  actor a person gives a country, the stored one may be none), and may set a coarser
  `date_precision` only with a date that fits it: both depend on the stored record;
- a `cursor` is one the server issued for that very query (it is signed), so positive cases
  leave it out;
- `If-Match` and `If-None-Match` on a write name the stored record's current ETag (or `*`
  for any / none), which the schema cannot know, so writes leave them out; negative ones too,
  since a precondition is judged before the content (RFC 9110 §13.2.2: a 412, not a 422);
- a patch that sets `date` alone must fit the stored `date_precision`: it gets 1 January.
"""

import json
import pathlib
import uuid
import zlib

import schemathesis
from schemathesis.core.parameters import ParameterLocation

schemathesis.serializer.alias("application/x-ndjson", "text/plain")

# Records of their own, loaded by scripts/contract-test next to the sample, for references to
# name: schemathesis deletes and replaces sample records as it goes, but leaves these alone.
_FIXTURES = pathlib.Path(__file__).resolve().parent / "contract-fixtures.ndjson"


def _load_pools():
    pools = {"actor": [], "organization": [], "source": [], "meeting": [], "statement": [], "initiative": []}
    for line in _FIXTURES.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        pools[record["type"]].append(record["id"])
        if record["type"] == "actor" and record.get("kind") == "organization":
            pools["organization"].append(record["id"])
    return pools


_POOLS = _load_pools()
_FIXTURE_IDS = {record_id for pool in _POOLS.values() for record_id in pool}


def _pick(pool, value):
    """A sample id standing for the generated `value`: the same value maps to the same id."""
    ids = _POOLS[pool]
    return ids[zlib.crc32(str(value).encode("utf-8")) % len(ids)]


def _ids(body, key, pool):
    """Maps a list of ids onto the pool, keeping it free of repeats (the schema's uniqueItems)."""
    if isinstance(body.get(key), list):
        mapped = []
        for value in body[key]:
            picked = _pick(pool, value)
            if picked not in mapped:
                mapped.append(picked)
        body[key] = mapped


def _one(body, key, pool):
    if isinstance(body.get(key), str):
        body[key] = _pick(pool, body[key])


def _dates_in_order(body, start="start_date", end="end_date"):
    first, last = body.get(start), body.get(end)
    if isinstance(first, str) and isinstance(last, str) and first > last:
        body[start], body[end] = last, first


def _date_fits_precision(body, patch):
    precision, date = body.get("date_precision"), body.get("date")
    if precision in ("month", "year") and not isinstance(date, str) and patch:
        # The stored date (2024-06-04 in the sample) may not fit: give one that does.
        date = "2024-06-01"
    if isinstance(date, str):
        if precision == "month":
            body["date"] = date[:8] + "01"
        elif precision == "year":
            body["date"] = date[:4] + "-01-01"


def _fix_actor(body, patch):
    for role in body.get("roles") or []:
        if isinstance(role, dict):
            _one(role, "organization_id", "organization")
            _dates_in_order(role)
    if patch and "country" in body and body["country"] is None and body.get("kind") != "organization":
        del body["country"]
    if patch and body.get("kind") == "person" and "country" not in body:
        # The stored actor may be an organisation without a country.
        body["country"] = "KH"


def _fix_meeting(body, patch):
    _date_fits_precision(body, patch)
    participants = body.get("participants")
    if isinstance(participants, list):
        actors = _POOLS["actor"]
        kept = participants[: len(actors)]
        for index, participant in enumerate(kept):
            if isinstance(participant, dict):
                participant["actor_id"] = actors[index]
        body["participants"] = kept
    _ids(body, "initiative_ids", "initiative")
    _ids(body, "source_ids", "source")


def _fix_statement(body, patch):
    _date_fits_precision(body, patch)
    _one(body, "speaker_id", "actor")
    _one(body, "meeting_id", "meeting")
    _ids(body, "source_ids", "source")


def _fix_status_change(entry):
    _one(entry, "meeting_id", "meeting")
    _one(entry, "statement_id", "statement")


def _fix_initiative(body, patch):
    if patch:
        # One end of the period must fit the stored other: the patch clears the other.
        for given, other in (("start_date", "end_date"), ("end_date", "start_date")):
            if isinstance(body.get(given), str) and other not in body:
                body[other] = None
    _dates_in_order(body)
    for entry in body.get("status_history") or []:
        if isinstance(entry, dict):
            _fix_status_change(entry)
    _ids(body, "meeting_ids", "meeting")
    _ids(body, "statement_ids", "statement")
    _ids(body, "source_ids", "source")


_FIXES = {
    "actors": _fix_actor,
    "sources": lambda body, patch: None,
    "meetings": _fix_meeting,
    "statements": _fix_statement,
    "initiatives": _fix_initiative,
}


def _bounded_periods(case):
    """An activity chart has at most 2400 periods: the range is kept within 150 years."""
    query = case.query if case.query is not None else {}
    first = query.get("from") if isinstance(query.get("from"), str) else "2000-01-01"
    last = query.get("to") if isinstance(query.get("to"), str) else "2030-12-31"
    if first > last:
        first, last = last, first
    if int(last[:4]) - int(first[:4]) > 150:
        last = "%04d%s" % (int(first[:4]) + 150, "-01-01")
    query["from"], query["to"] = first, last
    case.query = query


def _fit_patched_date(body):
    """A patch that sets `date` alone must fit whatever precision is stored: 1 January fits all."""
    if isinstance(body.get("date"), str) and "date_precision" not in body:
        body["date"] = body["date"][:4] + "-01-01"


def _replace_nul(value):
    """Replaces U+0000 in every string of a JSON value, in place, keeping lengths and non-blank texts."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, member in list(items):
        if isinstance(member, str):
            value[key] = member.replace("\x00", "a")
        else:
            _replace_nul(member)


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    """Runs before every request of every phase (examples, coverage, fuzzing, stateful)."""
    path = case.operation.path
    method = case.operation.method.upper()
    meta = case.meta
    if meta is None:
        return
    positive = meta.generation.mode.is_positive
    # A negative case about a header (a missing Authorization, say) keeps its headers as made.
    if method in ("POST", "PUT", "PATCH", "DELETE") and case.headers and (
        positive or getattr(meta.phase.data, "parameter_location", None) != ParameterLocation.HEADER
    ):
        # Preconditions are judged before the content (RFC 9110 §13.2.2), so a made-up ETag is
        # a 412 even on a negative case.
        for name in [name for name in case.headers if name.lower() in ("if-match", "if-none-match")]:
            del case.headers[name]
    if not positive:
        return
    parameters = case.path_parameters or {}
    if parameters.get("id") in _FIXTURE_IDS and method in ("PUT", "PATCH", "DELETE"):
        # The fixtures stay as they are, so that references to them hold for the whole run.
        parameters["id"] = parameters["id"] + "-other"
    if case.headers:
        for name in [name for name in case.headers if name.lower() == "idempotency-key"]:
            # A key names one request: reused with another body it is a 422 (SPEC).
            case.headers[name] = str(uuid.uuid4())
    if case.query:
        case.query.pop("cursor", None)
        words = case.query.get("q")
        if isinstance(words, str) and path == "/v1/search":
            # Search's grammar (SearchQuery): quotes must pair and enclose a word, and at most 32
            # terms; a schema cannot say either. Quotes go, and the terms are cut to 32.
            words = words.replace('"', " ")
            terms = "".join(c if c.isalnum() else " " for c in words).split()
            if len(terms) > 32:
                words = " ".join(terms[:32])
            case.query["q"] = words
        if isinstance(words, str) and not any(c.isalnum() for c in words):
            # A `q` needs a word: a letter or digit in Unicode's sense, which an ECMA pattern
            # without Unicode property escapes cannot name.
            case.query["q"] = words[:199] + "a"
        first, last = case.query.get("from"), case.query.get("to")
        if isinstance(first, str) and isinstance(last, str) and first > last:
            case.query["from"], case.query["to"] = last, first

    if path.startswith("/v1/relations/{a}/{b}"):
        a, b = parameters.get("a"), parameters.get("b")
        if isinstance(a, str) and isinstance(b, str) and a.upper() == b.upper():
            parameters["b"] = "KH" if a.upper() != "KH" else "US"
        if path.endswith("/activity"):
            _bounded_periods(case)
        return

    body = case.body
    if not isinstance(body, dict):
        return
    # No text holds U+0000 (a 422 naming the field): a rule that would make the text schemas'
    # patterns too slow to generate from, so it is kept here.
    _replace_nul(body)
    if path == "/v1/initiatives/{id}/status-changes":
        _fix_status_change(body)
        return
    collection = path.split("/")[2] if path.startswith("/v1/") else ""
    fix = _FIXES.get(collection)
    if fix is None:
        return
    if method in ("PUT", "PATCH") and "id" in body and "id" in parameters:
        body["id"] = parameters["id"]
    if method == "PATCH":
        _fit_patched_date(body)
    fix(body, method == "PATCH")
