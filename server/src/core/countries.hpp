// ISO 3166-1 countries and ISO 3166-2 subdivisions (states, provinces, regions…), from Debian's
// iso-codes (compiled in at build time, read once at first use).
#pragma once

#include <string_view>
#include <vector>

namespace clientele {

struct Country {
    std::string_view code;  //!< alpha-2, upper case
    std::string_view name;
};

struct Subdivision {
    std::string_view code;  //!< the part after the country: "IL" of "US-IL"
    std::string_view name;  //!< "Illinois"
    std::string_view type;  //!< "State", "Province", "Region"…
};

//! Every assigned country, in iso-codes' order (by alpha-2 code).
const std::vector<Country>& countries();

//! The country with this alpha-2 code, or nullptr.
const Country* find_country(std::string_view code);

//! The subdivisions of a country (empty for an unknown one or one without), by code.
const std::vector<Subdivision>& subdivisions(std::string_view country);

//! The subdivision of `country` written as "IL" or "US-IL" (any case), or nullptr.
const Subdivision* find_subdivision(std::string_view country, std::string_view code);

}  // namespace clientele
