#include "core/currency.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <cmath>
#include <stdexcept>

namespace clientele {

namespace embedded {
extern const std::string_view iso_4217_json;
}  // namespace embedded

namespace {

// iso-codes lists no minor units: ISO 4217's own table gives them. These are the currencies whose
// exponent is not 2 (as of the 2024 amendment).
int exponent_of(std::string_view code) {
    static constexpr std::string_view none[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY",
                                                "KMF", "KRW", "PYG", "RWF", "UGX", "UYI",
                                                "VND", "VUV", "XAF", "XOF", "XPF"};
    static constexpr std::string_view three[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
    static constexpr std::string_view four[] = {"CLF", "UYW"};
    auto in = [&](const auto& list) {
        return std::find(std::begin(list), std::end(list), code) != std::end(list);
    };
    return in(none) ? 0 : in(three) ? 3 : in(four) ? 4 : 2;
}

// The parsed document owns the strings every Currency points into.
struct IsoCurrencies {
    boost::json::value doc = boost::json::parse(embedded::iso_4217_json);
    std::vector<Currency> list;

    IsoCurrencies() {
        for (const auto& entry : doc.at("4217").as_array()) {
            const auto& o = entry.as_object();
            std::string_view code = o.at("alpha_3").as_string();
            list.push_back({code, o.at("name").as_string(), exponent_of(code)});
        }
        std::sort(list.begin(), list.end(),
                  [](const Currency& a, const Currency& b) { return a.code < b.code; });
    }
};

constexpr int max_digits = 18;

__int128 power_of_ten(int n) {
    __int128 p = 1;
    while (n-- > 0) {
        p *= 10;
    }
    return p;
}

}  // namespace

const std::vector<Currency>& currencies() {
    static const IsoCurrencies iso;  // thread-safe initialisation
    return iso.list;
}

const Currency* find_currency(std::string_view code) {
    const auto& all = currencies();
    auto it = std::lower_bound(all.begin(), all.end(), code,
                               [](const Currency& c, std::string_view k) { return c.code < k; });
    return it != all.end() && it->code == code ? &*it : nullptr;
}

int currency_exponent(std::string_view code) {
    const Currency* currency = find_currency(code);
    if (!currency) {
        throw std::invalid_argument("not an ISO 4217 currency: " + std::string(code));
    }
    return currency->exponent;
}

std::optional<Rate> parse_rate(std::string_view text) {
    // [digits][.digits][(e|E)[+|-]digits]: the significant digits, then the power of ten.
    std::string digits;
    int scale = 0;
    size_t i = 0;
    bool any = false, point = false;
    for (; i < text.size(); ++i) {
        char ch = text[i];
        if (ch >= '0' && ch <= '9') {
            any = true;
            if (!(digits.empty() && ch == '0')) {
                digits += ch;
            }
            if (point) {
                ++scale;
            }
        } else if (ch == '.' && !point) {
            point = true;
        } else {
            break;
        }
    }
    if (!any || (point && text[i - 1] == '.')) {
        return std::nullopt;
    }
    if (i < text.size()) {
        if (text[i] != 'e' && text[i] != 'E') {
            return std::nullopt;
        }
        ++i;
        bool negative = i < text.size() && text[i] == '-';
        if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
            ++i;
        }
        if (i == text.size() || text.size() - i > 3) {
            return std::nullopt;
        }
        int power = 0;
        for (; i < text.size(); ++i) {
            if (text[i] < '0' || text[i] > '9') {
                return std::nullopt;
            }
            power = power * 10 + (text[i] - '0');
        }
        scale += negative ? power : -power;
    }
    // Trailing zeros carry no precision: 1.50 is 15 × 10^-1.
    while (!digits.empty() && digits.back() == '0' && scale > 0) {
        digits.pop_back();
        --scale;
    }
    while (scale < 0 && !digits.empty() && int(digits.size()) < max_digits) {
        digits += '0';
        ++scale;
    }
    if (digits.empty() || int(digits.size()) > max_digits || scale < 0 || scale > max_digits) {
        return std::nullopt;
    }
    return Rate{std::stoll(digits), scale};
}

std::string format_rate(const Rate& rate) {
    std::string digits = std::to_string(rate.digits);
    if (rate.scale == 0) {
        return digits;
    }
    if (int(digits.size()) <= rate.scale) {
        digits.insert(0, size_t(rate.scale) - digits.size() + 1, '0');
    }
    digits.insert(digits.size() - size_t(rate.scale), 1, '.');
    return digits;
}

std::optional<int64_t> convert_amount(int64_t amount, const Rate& rate, int from_exponent,
                                      int to_exponent) {
    // |amount| < 2^63 and digits < 10^18: the product stays below 2^127.
    __int128 value = __int128(amount) * rate.digits;
    int shift = to_exponent - from_exponent - rate.scale;
    const __int128 limit = power_of_ten(38) / 10;
    for (; shift > 0; --shift) {
        if (value > limit || value < -limit) {
            return std::nullopt;
        }
        value *= 10;
    }
    if (shift < 0) {
        __int128 divisor = power_of_ten(-shift);
        __int128 quotient = value / divisor;
        __int128 remainder = value % divisor;
        // Half away from zero: a remainder of at least half the divisor rounds outwards.
        if (remainder * 2 >= divisor) {
            ++quotient;
        } else if (remainder * 2 <= -divisor) {
            --quotient;
        }
        value = quotient;
    }
    if (value > INT64_MAX || value < INT64_MIN) {
        return std::nullopt;
    }
    return int64_t(value);
}

double to_units(int64_t amount, int exponent) {
    return double(amount) / std::pow(10.0, exponent);
}

}  // namespace clientele
