// The dashboard's one HTML page: key figures, the open action items (aged, flagged for decay,
// with a status form when writes are allowed), incidents by SEV, and the metrics as small SVG
// charts. Self-contained (inline CSS, no script, nothing loaded from elsewhere) and every value
// from the store HTML-escaped.
#ifndef INQUEST_DASHBOARD_PAGE_H_
#define INQUEST_DASHBOARD_PAGE_H_

#include <string>

#include "dashboard/summary.h"

namespace inquest::dashboard {

struct PageOptions {
  std::string store_location;  // shown in the header ("sqlite: /path/inquest.db")
  bool allow_writes = false;   // render the status form
  std::string notice;          // a line shown above the items (the result of a status change)
  bool notice_is_error = false;
};

// The form the page posts when writes are allowed: POST kStatusFormPath with fields
//   token                 the server's token (typed by the user; never stored in a cookie)
//   status-<id>           the chosen status name ("open", "in progress", "done", "won't do")
//   was-<id>              the status the page showed, so a change made meanwhile by someone
//                         else is detected instead of overwritten
inline constexpr std::string_view kStatusFormPath = "/actions";

std::string RenderPage(const Summary& summary, const PageOptions& options);

// "45 s", "12 min", "3 h 20 min", "4 d 2 h".
std::string HumanDuration(int64_t nanos);

}  // namespace inquest::dashboard

#endif  // INQUEST_DASHBOARD_PAGE_H_
