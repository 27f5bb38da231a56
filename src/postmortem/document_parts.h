// The pieces of the document reader (postmortem/document.h) that work on the cmark-gfm tree:
// inline text, header fields, timeline rows and action items. Internal to postmortem/.
#ifndef INQUEST_POSTMORTEM_DOCUMENT_PARTS_H_
#define INQUEST_POSTMORTEM_DOCUMENT_PARTS_H_

#include <cmark-gfm.h>

#include <string>
#include <vector>

#include "postmortem/document.h"

namespace inquest {

// Appends the plain text of `node`'s inline content (soft and hard breaks as '\n', code spans
// as their text, HTML left out).
void PmAppendInlineText(cmark_node* node, std::string* out);
std::string PmInlineText(cmark_node* node);
// The URLs of every link and autolink under `node`.
void PmCollectLinks(cmark_node* node, std::vector<std::string>* urls);
// True when `node`'s type string (cmark_node_get_type_string) is `type` ("table", "tasklist").
bool PmIsType(cmark_node* node, const char* type);

// Fills title, SEV, date, status, author, reviewers, the stated times, services, trigger and
// summary from doc->sections and doc->blocks.
void ReadHeaderFields(PmDocument* doc);
// Fills doc->timeline from the Timeline section's tables, lists or timed sub-headings.
void ReadTimeline(cmark_node* root, PmDocument* doc);
// Fills doc->actions from the action-item section's tables or lists.
void ReadActionItems(cmark_node* root, PmDocument* doc);

}  // namespace inquest

#endif  // INQUEST_POSTMORTEM_DOCUMENT_PARTS_H_
