// Suggestions the draft makes from the evidence, for the author to confirm: the title in users'
// words (what failed, for whom, how long) and the questions the customer reports raise about
// data integrity.
#ifndef INQUEST_ANALYZE_DRAFT_SUGGEST_H_
#define INQUEST_ANALYZE_DRAFT_SUGGEST_H_

#include <string>
#include <vector>

#include "analyze/analysis.h"
#include "postmortem/draft_model.h"

namespace inquest {

// "Cart checkout failed for 12.5% of requests for 7m00s": the entry point of the rebuilt failed
// request (its HTTP path made words, else its first service), the failed share and the
// duration. Empty value (with the reason) when no onset was found.
DraftSuggestion SuggestTitle(const Analysis& a);

// One question per customer ticket opened after the onset whose words point at wrong data
// ("charged", "refund", "duplicate"), naming the ticket, its time relative to the recovery and
// its source. Empty when none.
std::vector<std::string> DataIntegrityQuestions(const Analysis& a);

// The entry point of a request as words: "/api/v2/cart/checkout?x=1" -> "Cart checkout"
// (numbers, ids, versions and "api" dropped; the last two segments kept). Empty for no path.
std::string PathInWords(std::string_view path);

}  // namespace inquest

#endif  // INQUEST_ANALYZE_DRAFT_SUGGEST_H_
