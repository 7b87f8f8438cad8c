#pragma once
// Text for XML and HTML in UTF-8 (the JUnit report, the HTML report and its SVG): whatever a
// scenario file or a client put in it shows as text and never as markup.

#include <string>
#include <string_view>

namespace scenario {

// Markup characters (& < > " ') escaped; control characters and bytes that are not UTF-8 (a
// scenario file may hold any) replaced by '?'.
std::string markup_escape(std::string_view text);

} // namespace scenario
