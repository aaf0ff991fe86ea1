"""schemathesis hooks for scripts/contract-test (loaded with SCHEMATHESIS_HOOKS=contract_hooks).

POST /v1/import takes application/x-ndjson, which schemathesis cannot serialize by itself: its
body is described as a string (one JSON object per line), so it is sent as text, like text/plain.

The positive_data_acceptance check asserts that every request the schema allows is accepted.
A few rules the server enforces are not JSON Schema's to express: they relate a value to
another member, to the path, or to what the database holds. `map_case` bends each generated
*positive* case to respect exactly those rules, and nothing else, so that the check still
tests everything the schema does say. Negative cases are left as generated. Each fix-up names
the rule it stands for:

- a body `id` on PUT or PATCH must be the id in the path (the path is not in the body's schema);
- references (`speaker_id`, `actor_id`, `organization_id`, `meeting_id`, `*_ids`) must name
  records that exist; they are mapped onto the bundled sample's records (roles name an
  organisation, not a person);
- a meeting's participants name each actor once (`uniqueItems` cannot look at one member);
- a date with `date_precision` `month` or `year` is the first day of that period;
- `end_date` is not before `start_date`;
- the two countries of a relation differ (`a` and `b` are separate parameters);
- a merge patch may clear an actor's `country` only on an organisation, and may set a coarser
  `date_precision` only with a date that fits it: both depend on the stored record.
"""

import json
import pathlib
import zlib

import schemathesis

schemathesis.serializer.alias("application/x-ndjson", "text/plain")

_SAMPLE = pathlib.Path(__file__).resolve().parent.parent / "Sources/BilateralAPI/Resources/sample.ndjson"


def _load_pools():
    pools = {"actor": [], "organization": [], "source": [], "meeting": [], "statement": [], "initiative": []}
    for line in _SAMPLE.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        pools[record["type"]].append(record["id"])
        if record["type"] == "actor" and record.get("kind") == "organization":
            pools["organization"].append(record["id"])
    return pools


_POOLS = _load_pools()


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


@schemathesis.hook
def map_case(ctx, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return case
    path = case.operation.path
    method = case.operation.method.upper()
    parameters = case.path_parameters or {}

    if path.startswith("/v1/relations/{a}/{b}"):
        a, b = parameters.get("a"), parameters.get("b")
        if isinstance(a, str) and isinstance(b, str) and a.upper() == b.upper():
            parameters["b"] = "KH" if a.upper() != "KH" else "US"
        return case

    body = case.body
    if not isinstance(body, dict):
        return case
    if path == "/v1/initiatives/{id}/status-changes":
        _fix_status_change(body)
        return case
    collection = path.split("/")[2] if path.startswith("/v1/") else ""
    fix = _FIXES.get(collection)
    if fix is None:
        return case
    if method in ("PUT", "PATCH") and "id" in body and "id" in parameters:
        body["id"] = parameters["id"]
    fix(body, method == "PATCH")
    return case
