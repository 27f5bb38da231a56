// Java class names as people read them, from the JVM's internal forms in a dump:
// "java/util/HashMap" -> "java.util.HashMap", "[Ljava/lang/String;" -> "java.lang.String[]",
// "[[I" -> "int[][]".
#ifndef INQUEST_HEAP_CLASS_NAMES_H_
#define INQUEST_HEAP_CLASS_NAMES_H_

#include <string>
#include <string_view>

namespace inquest::heap {

std::string JavaClassName(std::string_view internal);

}  // namespace inquest::heap

#endif  // INQUEST_HEAP_CLASS_NAMES_H_
