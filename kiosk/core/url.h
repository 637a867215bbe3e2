// Pieces of web addresses the kiosk builds (FHIR searches, the handout's
// links). Thread: any.
#pragma once
#include <string>
#include <string_view>

namespace kiosk {

// RFC 3986: everything but the unreserved characters (letters, digits, - . _ ~) as %XX.
std::string percent_encoded(std::string_view text);

}  // namespace kiosk
