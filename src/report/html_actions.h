// The proposed action items in report.html, from the post-mortem draft's model
// (postmortem/draft_model.h): what to do, the finding it answers, its class, and owner, due
// date and ticket, which are the author's to decide.
#ifndef INQUEST_REPORT_HTML_ACTIONS_H_
#define INQUEST_REPORT_HTML_ACTIONS_H_

#include <string>

#include "postmortem/draft_model.h"
#include "report/html_citations.h"

namespace inquest {

// The section, <h2 id="actions"> on: a table of draft->actions (id, action, the finding it
// answers with its name when the draft has it, class, owner, due, ticket, status, source); an
// empty owner, due date or ticket reads "to be decided by the author". A null draft, or one
// with no actions, is said in a sentence.
std::string HtmlActionItems(const DraftModel* draft, HtmlCitations* cites);

}  // namespace inquest

#endif  // INQUEST_REPORT_HTML_ACTIONS_H_
