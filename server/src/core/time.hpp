// UTC timestamps as Clientele stores and shows them: ISO 8601 with milliseconds and a Z.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace clientele {

using Clock = std::chrono::system_clock;

//! `2026-11-24T05:05:06.123Z`: sorts as text in time order, the same in every store.
std::string format_timestamp(Clock::time_point t);
inline std::string now_timestamp() {
    return format_timestamp(Clock::now());
}

//! Parses `YYYY-MM-DD` into a real calendar date (rejects 2026-02-30).
std::optional<std::chrono::year_month_day> parse_date(std::string_view text);

//! Parses a timestamp filter: `YYYY-MM-DD` (midnight UTC), or
//! `YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM)`.
std::optional<Clock::time_point> parse_timestamp(std::string_view text);

}  // namespace clientele
