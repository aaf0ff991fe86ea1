#ifndef BILATERAL_CLIBPQ_SHIM_H
#define BILATERAL_CLIBPQ_SHIM_H
#include <libpq-fe.h>

// The PG_DIAG_* field codes are character macros ('C', 'M'), which Swift does not import.

// The five-character SQLSTATE of an error result, or NULL.
static inline const char *bilateral_pq_sqlstate(const PGresult *result) {
    return PQresultErrorField(result, PG_DIAG_SQLSTATE);
}

// The primary human-readable message of an error result (one line, no detail), or NULL.
static inline const char *bilateral_pq_primary_message(const PGresult *result) {
    return PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
}

// A notice processor that drops notices: libpq's default prints them to stderr ("relation ...
// already exists, skipping"), which is not the server's log.
static inline void bilateral_pq_ignore_notice(void *argument, const char *message) {
    (void)argument;
    (void)message;
}

static inline void bilateral_pq_silence_notices(PGconn *connection) {
    PQsetNoticeProcessor(connection, bilateral_pq_ignore_notice, NULL);
}
#endif
