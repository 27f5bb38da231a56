// Whether the error records quote a change's own words: "restore secret tls-ledger" before
// errors saying "call ledger: tls: failed to verify certificate", "forward zone
// svc.cluster.local" before "lookup profile.svc.cluster.local: no such host". A change whose
// distinctive words the errors repeat is tied to them, whatever service it records.
//
// A word is distinctive when it is not a stop word (data in change_echo.cc), has three
// characters or more, is not a bare number, and appears in few of the records before the onset
// (kMaxNormalShare): "ledger" in "calling ledger op=GET" on every normal request says nothing.
// Words are the change text's tokens (split at spaces and punctuation other than '.', '-' and
// '_') and their '-'/'_' parts, keys ("reason=") left out; a token matches where it stands
// between non-alphanumeric bytes and is not a key there ("reason=", "\"reason\":").
//
// What it cannot see: errors that describe the change's effect in other words ("connection
// refused" after "rotate db password"); a change text made only of common words.
#ifndef INQUEST_TIMELINE_CHANGE_ECHO_H_
#define INQUEST_TIMELINE_CHANGE_ECHO_H_

#include <string>
#include <string_view>
#include <vector>

#include "timeline/change.h"

namespace inquest {

// A word seen in more than this share of the records before the onset is not distinctive.
inline constexpr double kMaxNormalShare = 0.02;
// The share of the error records that must quote a change for it to count.
inline constexpr double kMinEchoShare = 0.2;

struct ChangeEcho {
  double share = 0;  // of the error records quoting one of the change's distinctive words
  std::string word;  // the word quoted most
};

// One ChangeEcho per change, in order. `error_texts` and `normal_texts` are samples of the
// incident's error records and of the records before the onset.
std::vector<ChangeEcho> FindChangeEchoes(const std::vector<Change>& changes,
                                         const std::vector<std::string_view>& error_texts,
                                         const std::vector<std::string_view>& normal_texts);

// The distinctive-word candidates of a change text, before the normal-records filter.
std::vector<std::string> ChangeWords(std::string_view text);

// Whether `word` stands in `text` between non-alphanumeric bytes, ignoring ASCII case.
bool QuotesWord(std::string_view text, std::string_view word);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_CHANGE_ECHO_H_
