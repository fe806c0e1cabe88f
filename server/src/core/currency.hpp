// ISO 4217 currencies (from Debian's iso-codes, compiled in at build time) with the exponent of
// their minor unit, and the decimal exchange-rate maths that converts amounts between them.
// Money is integer minor units everywhere (cents of USD, yen of JPY, fils of KWD).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clientele {

struct Currency {
    std::string_view code;  //!< alpha-3, upper case
    std::string_view name;
    int exponent;  //!< minor units per unit: 10^exponent
};

//! Every active currency of iso-codes, by code.
const std::vector<Currency>& currencies();

//! The currency with this upper-case code, or nullptr.
const Currency* find_currency(std::string_view code);

//! The exponent of a known currency's minor unit; std::invalid_argument for an unknown code (codes
//! come from the store, which holds checked ones only).
int currency_exponent(std::string_view code);

//! A positive decimal exchange rate, `digits` × 10^-scale, kept exact (never binary floating
//! point): at most 18 significant digits, scale 0..18.
struct Rate {
    int64_t digits = 0;
    int scale = 0;
    bool operator==(const Rate&) const = default;
};

//! Reads "1.0834", "25", "1.0834E0", "3e-4" (a JSON number as Boost.JSON writes it back, or a
//! decimal string). nullopt for anything else, zero, a negative number, or more precision or size
//! than Rate holds.
std::optional<Rate> parse_rate(std::string_view text);

//! The rate as plain decimal text without trailing zeros: "1.0834", "25", "0.0003".
std::string format_rate(const Rate& rate);

//! `amount` (minor units of a currency with exponent `from_exponent`) in minor units of one with
//! `to_exponent`, at `rate` units of the target per unit of the source: amount × rate ×
//! 10^(to − from), rounded half away from zero. nullopt when the result does not fit in int64.
std::optional<int64_t> convert_amount(int64_t amount, const Rate& rate, int from_exponent,
                                      int to_exponent);

//! `amount` minor units as a number of units (purchase history): amount / 10^exponent.
double to_units(int64_t amount, int exponent);

}  // namespace clientele
