#pragma once
//!\file
//!\brief Version and build provenance.

#include <string_view>

namespace chemores
{
std::string_view version_string(); //!< e.g. "0.1.0"
std::string_view git_hash();       //!< short hash of the source tree at build time, or "unknown"
std::string_view build_type();
std::string_view compiler();
} // namespace chemores
