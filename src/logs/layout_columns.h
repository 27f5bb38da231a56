// What one whitespace-separated field can be in an inferred layout (logs/layout.h): the tests
// inference runs over every example line and the parser runs on every record. Views returned
// point into the field.
#ifndef INQUEST_LOGS_LAYOUT_COLUMNS_H_
#define INQUEST_LOGS_LAYOUT_COLUMNS_H_

#include <string_view>

#include "logs/event.h"
#include "logs/layout.h"

namespace inquest {

// The bracket that closes `c` (one of "[(<{"), or 0 when `c` opens none. Layouts keep a
// bracketed field ("[main]", "<worker-3>") together as one field.
char BracketCloseOf(char c);

// The next field of `line` at or after *pos (bracket-aware like SplitFields); *pos moves past
// it. Empty at the end of the line.
std::string_view NextField(std::string_view line, size_t* pos);

// Column delimiters a layout may use instead of whitespace ("time|I|web17|handler|message").
inline constexpr std::string_view kLayoutDelimiters = "|;";

// The next field of a `delimiter`-separated line at or after *pos, blanks around it trimmed
// (empty when two delimiters touch); *pos moves past the delimiter that ends it. False at the
// end of the line.
bool NextDelimitedField(std::string_view line, size_t* pos, char delimiter, std::string_view* f);

// The field without one pair of enclosing brackets, a trailing ':' or ',' and inner spaces.
std::string_view StripField(std::string_view f);

// Each fills its outputs only on success.
bool LevelOfField(std::string_view f, Level* level);
bool PidOfField(std::string_view f, std::string_view* pid);
// A component, with the pid of a "prog[1234]:" field when there is one.
bool ComponentOfField(std::string_view f, std::string_view* component, std::string_view* pid);
bool IsSeparatorField(std::string_view f);
bool IsHostField(std::string_view f);

// Whether `f` fits a column of `kind` (kSkip and kHost fit any plain field).
bool FieldFits(ColumnKind kind, std::string_view literal, std::string_view f);

// A plain word between delimiters ("handler", "db-pool", "OrderService"): in a delimited layout
// the delimiters mark the column, so the component needs no dot, colon or brackets.
bool IsDelimitedComponent(std::string_view f);

}  // namespace inquest

#endif  // INQUEST_LOGS_LAYOUT_COLUMNS_H_
