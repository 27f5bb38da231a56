// `key=value` tokens inside the free-text message of a line log ("handled request
// x_request_id=2b97… status=200 dur_ms=9"): read as attributes, and the correlation ids among
// them set on the event, so a text log's requests join the timeline and the skew estimate like
// a structured log's.
#ifndef INQUEST_LOGS_MESSAGE_FIELDS_H_
#define INQUEST_LOGS_MESSAGE_FIELDS_H_

#include <string_view>

#include "logs/event.h"
#include "logs/field_names.h"

namespace inquest {

// The correlation role a key's name suggests when the table does not know it: its letters and
// digits, lower-cased, ending in "requestid", "reqid" or "correlationid" (a request id),
// "traceid" (a trace id) or "spanid" but not "parentspanid" (a span id). kNone otherwise.
// Covers "x_request_id", "X-Request-ID", "reqId", "ctx.traceId".
FieldRole CorrelationRoleOfName(std::string_view key);

// Appends every `key=value` token of `message` to event->attrs (a key is a letter or '_'
// followed by letters, digits and "_.-"; a value runs to the next space, or is "double
// quoted"), and sets the request, trace and span id from the keys `names` or
// CorrelationRoleOfName give those roles (the first of each wins). Views point into
// `message`. Tokens without '=' are left alone; nothing is removed from the message.
void ReadMessageFields(std::string_view message, const FieldNames& names, Event* event);

}  // namespace inquest

#endif  // INQUEST_LOGS_MESSAGE_FIELDS_H_
