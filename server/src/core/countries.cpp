#include "core/countries.hpp"

#include <algorithm>

namespace clientele {

const Country* find_country(std::string_view code) {
    const auto& all = countries();
    auto it =
        std::find_if(all.begin(), all.end(), [&](const Country& c) { return c.code == code; });
    return it == all.end() ? nullptr : &*it;
}

}  // namespace clientele
