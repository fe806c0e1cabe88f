#include "core/gstin.hpp"

namespace clientele {

namespace {
constexpr std::string_view base36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

bool is_upper(char c) {
    return c >= 'A' && c <= 'Z';
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// The check character over the first 14: alternate weights 1 and 2, each product folded into
// base 36 (quotient + remainder), and the character that brings the sum to a multiple of 36.
char check_character(std::string_view first14) {
    int sum = 0;
    for (size_t i = 0; i < first14.size(); ++i) {
        int value = int(base36.find(first14[i]));
        int product = value * (i % 2 == 0 ? 1 : 2);
        sum += product / 36 + product % 36;
    }
    return base36[size_t((36 - sum % 36) % 36)];
}
}  // namespace

bool is_valid_gstin(std::string_view g) {
    if (g.size() != 15) {
        return false;
    }
    for (char c : g) {
        if (!is_upper(c) && !is_digit(c)) {
            return false;
        }
    }
    if (!is_digit(g[0]) || !is_digit(g[1])) {
        return false;
    }
    int state = (g[0] - '0') * 10 + (g[1] - '0');
    if (!((state >= 1 && state <= 38) || state == 97 || state == 99)) {
        return false;
    }
    for (size_t i = 2; i < 7; ++i) {
        if (!is_upper(g[i]))
            return false;
    }
    for (size_t i = 7; i < 11; ++i) {
        if (!is_digit(g[i]))
            return false;
    }
    if (!is_upper(g[11]) || g[12] == '0' || g[13] != 'Z') {
        return false;
    }
    return check_character(g.substr(0, 14)) == g[14];
}

}  // namespace clientele
