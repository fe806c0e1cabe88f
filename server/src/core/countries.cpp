#include "core/countries.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <map>
#include <string>

namespace clientele {

namespace embedded {
extern const std::string_view iso_3166_1_json;
extern const std::string_view iso_3166_2_json;
}  // namespace embedded

namespace {

// The parsed documents own the strings every Country and Subdivision points into.
struct IsoCodes {
    boost::json::value countries_doc = boost::json::parse(embedded::iso_3166_1_json);
    boost::json::value subdivisions_doc = boost::json::parse(embedded::iso_3166_2_json);
    std::vector<Country> countries;
    std::map<std::string_view, std::vector<Subdivision>, std::less<>> subdivisions;

    IsoCodes() {
        for (const auto& entry : countries_doc.at("3166-1").as_array()) {
            const auto& o = entry.as_object();
            countries.push_back({o.at("alpha_2").as_string(), o.at("name").as_string()});
        }
        for (const auto& entry : subdivisions_doc.at("3166-2").as_array()) {
            const auto& o = entry.as_object();
            std::string_view code = o.at("code").as_string();  // "US-IL"
            size_t dash = code.find('-');
            subdivisions[code.substr(0, dash)].push_back(
                {code.substr(dash + 1), o.at("name").as_string(), o.at("type").as_string()});
        }
        for (auto& [country, list] : subdivisions) {
            std::sort(list.begin(), list.end(),
                      [](const Subdivision& a, const Subdivision& b) { return a.code < b.code; });
        }
    }
};

const IsoCodes& iso_codes() {
    static const IsoCodes codes;  // thread-safe initialisation
    return codes;
}

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& ch : out) {
        ch = char(ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch);
    }
    return out;
}

}  // namespace

const std::vector<Country>& countries() {
    return iso_codes().countries;
}

const Country* find_country(std::string_view code) {
    const auto& all = countries();
    auto it =
        std::find_if(all.begin(), all.end(), [&](const Country& c) { return c.code == code; });
    return it == all.end() ? nullptr : &*it;
}

const std::vector<Subdivision>& subdivisions(std::string_view country) {
    static const std::vector<Subdivision> none;
    const auto& all = iso_codes().subdivisions;
    auto it = all.find(country);
    return it == all.end() ? none : it->second;
}

const Subdivision* find_subdivision(std::string_view country, std::string_view code) {
    std::string wanted = upper(code);
    std::string_view key = wanted;
    if (key.size() > country.size() && key.starts_with(country) && key[country.size()] == '-') {
        key.remove_prefix(country.size() + 1);
    }
    const auto& list = subdivisions(country);
    auto it = std::lower_bound(list.begin(), list.end(), key,
                               [](const Subdivision& s, std::string_view k) { return s.code < k; });
    return it != list.end() && it->code == key ? &*it : nullptr;
}

}  // namespace clientele
