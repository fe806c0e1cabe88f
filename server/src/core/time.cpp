#include "core/time.hpp"

#include <fmt/format.h>

#include <charconv>

namespace clientele {

namespace {
using namespace std::chrono;

// Reads exactly `width` digits at `pos`; nullopt if any is not a digit.
std::optional<int> read_digits(std::string_view text, size_t pos, size_t width) {
    if (pos + width > text.size()) {
        return std::nullopt;
    }
    int value = 0;
    for (size_t i = pos; i < pos + width; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return std::nullopt;
        }
        value = value * 10 + (text[i] - '0');
    }
    return value;
}
}  // namespace

std::string format_timestamp(Clock::time_point t) {
    auto ms = time_point_cast<milliseconds>(t);
    auto day = floor<days>(ms);
    year_month_day ymd{day};
    hh_mm_ss hms{ms - day};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", int(ymd.year()),
                       unsigned(ymd.month()), unsigned(ymd.day()), hms.hours().count(),
                       hms.minutes().count(), hms.seconds().count(), hms.subseconds().count());
}

std::optional<year_month_day> parse_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return std::nullopt;
    }
    auto y = read_digits(text, 0, 4), m = read_digits(text, 5, 2), d = read_digits(text, 8, 2);
    if (!y || !m || !d) {
        return std::nullopt;
    }
    year_month_day ymd{year{*y}, month{unsigned(*m)}, day{unsigned(*d)}};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    return ymd;
}

std::optional<Clock::time_point> parse_timestamp(std::string_view text) {
    auto date = parse_date(text.substr(0, 10));
    if (!date) {
        return std::nullopt;
    }
    Clock::time_point t = sys_days{*date};
    if (text.size() == 10) {
        return t;
    }
    if (text[10] != 'T' && text[10] != ' ') {
        return std::nullopt;
    }
    auto hh = read_digits(text, 11, 2), mm = read_digits(text, 14, 2);
    if (!hh || !mm || text.size() < 16 || text[13] != ':' || *hh > 23 || *mm > 59) {
        return std::nullopt;
    }
    t += hours{*hh} + minutes{*mm};
    size_t pos = 16;
    if (pos < text.size() && text[pos] == ':') {
        auto ss = read_digits(text, pos + 1, 2);
        if (!ss || *ss > 60) {
            return std::nullopt;
        }
        t += seconds{*ss};
        pos += 3;
        if (pos < text.size() && text[pos] == '.') {
            size_t start = ++pos;
            int64_t fraction = 0, scale = 1;
            while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 9) {
                fraction = fraction * 10 + (text[pos++] - '0');
                scale *= 10;
            }
            if (pos == start) {
                return std::nullopt;
            }
            t += duration_cast<Clock::duration>(nanoseconds{fraction * (1'000'000'000 / scale)});
        }
    }
    std::string_view zone = text.substr(pos);
    if (zone == "Z" || zone == "z") {
        return t;
    }
    if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
        auto zh = read_digits(zone, 1, 2), zm = read_digits(zone, 4, 2);
        if (!zh || !zm || *zh > 23 || *zm > 59) {
            return std::nullopt;
        }
        auto offset = hours{*zh} + minutes{*zm};
        return zone[0] == '+' ? t - offset : t + offset;
    }
    return std::nullopt;
}

}  // namespace clientele
