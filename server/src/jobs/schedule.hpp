// When recurring jobs run: "every N minutes" or "daily at HH:MM" in a time zone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/time.hpp"

namespace clientele::jobs {

struct Schedule {
    //! Runs on a grid of N minutes counted from the epoch (UTC): every instance computes the same
    //! times, so two instances that start together queue the same run, once.
    std::optional<int64_t> every_minutes;
    std::optional<std::string> daily_at;  //!< "HH:MM"
    std::string time_zone = "UTC";        //!< IANA name (Asia/Kolkata), for daily_at

    static Schedule every(int64_t minutes) { return {minutes, std::nullopt, "UTC"}; }
    static Schedule daily(std::string at, std::string zone = "UTC") {
        return {std::nullopt, std::move(at), std::move(zone)};
    }
};

//! The first run strictly after `after`. Local times that a daylight-saving change skips run at
//! the first valid time after them (ICU's lenient calendar).
Clock::time_point next_run(const Schedule& schedule, Clock::time_point after);

//! True for a time zone that ICU knows.
bool is_time_zone(const std::string& name);
//! True for "HH:MM" with HH 00–23 and MM 00–59.
bool is_time_of_day(const std::string& text);

}  // namespace clientele::jobs
