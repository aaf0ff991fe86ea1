"""schemathesis hooks for scripts/contract-test (loaded with SCHEMATHESIS_HOOKS=contract_hooks).

POST /v1/import takes application/x-ndjson, which schemathesis cannot serialize by itself: its
body is described as a string (one JSON object per line), so it is sent as text, like text/plain.
"""
import schemathesis

schemathesis.serializer.alias("application/x-ndjson", "text/plain")
