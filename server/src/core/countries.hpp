// ISO 3166-1 countries, from Debian's iso-codes (compiled in at build time).
#pragma once

#include <string_view>
#include <vector>

namespace clientele {

struct Country {
    std::string_view code;  //!< alpha-2, upper case
    std::string_view name;
};

//! Every assigned country, in iso-codes' order (by alpha-2 code).
const std::vector<Country>& countries();

//! The country with this alpha-2 code, or nullptr.
const Country* find_country(std::string_view code);

}  // namespace clientele
