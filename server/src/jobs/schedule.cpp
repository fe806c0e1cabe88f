#include "jobs/schedule.hpp"

#include <unicode/gregocal.h>
#include <unicode/timezone.h>

#include <memory>
#include <stdexcept>

namespace clientele::jobs {

namespace {
std::unique_ptr<icu::TimeZone> time_zone(const std::string& name) {
    std::unique_ptr<icu::TimeZone> zone(
        icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(name)));
    icu::UnicodeString id;
    if (!zone || zone->getID(id) == icu::UnicodeString(u"Etc/Unknown")) {
        return nullptr;
    }
    return zone;
}
}  // namespace

bool is_time_zone(const std::string& name) {
    return time_zone(name) != nullptr;
}

bool is_time_of_day(const std::string& text) {
    auto digit = [&](size_t i) { return text[i] >= '0' && text[i] <= '9'; };
    if (text.size() != 5 || text[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4)) {
        return false;
    }
    int hour = (text[0] - '0') * 10 + (text[1] - '0');
    int minute = (text[3] - '0') * 10 + (text[4] - '0');
    return hour < 24 && minute < 60;
}

Clock::time_point next_run(const Schedule& schedule, Clock::time_point after) {
    using std::chrono::duration_cast;
    using std::chrono::milliseconds;
    if (schedule.every_minutes) {
        auto step = std::chrono::minutes(std::max<int64_t>(1, *schedule.every_minutes));
        auto since_epoch = duration_cast<std::chrono::minutes>(after.time_since_epoch());
        auto slot = (since_epoch / step) * step + step;
        return Clock::time_point(duration_cast<Clock::duration>(slot));
    }
    if (!schedule.daily_at || !is_time_of_day(*schedule.daily_at)) {
        throw std::invalid_argument("a schedule needs every_minutes or daily_at (HH:MM)");
    }
    auto zone = time_zone(schedule.time_zone);
    if (!zone) {
        throw std::invalid_argument("unknown time zone " + schedule.time_zone);
    }
    int hour = std::stoi(schedule.daily_at->substr(0, 2));
    int minute = std::stoi(schedule.daily_at->substr(3, 2));
    UErrorCode status = U_ZERO_ERROR;
    icu::GregorianCalendar calendar(zone.release(), status);  // adopts the zone
    double after_ms = double(duration_cast<milliseconds>(after.time_since_epoch()).count());
    calendar.setTime(after_ms, status);
    calendar.set(UCAL_HOUR_OF_DAY, hour);
    calendar.set(UCAL_MINUTE, minute);
    calendar.set(UCAL_SECOND, 0);
    calendar.set(UCAL_MILLISECOND, 0);
    double candidate = calendar.getTime(status);
    if (candidate <= after_ms) {
        calendar.add(UCAL_DATE, 1, status);
        calendar.set(UCAL_HOUR_OF_DAY, hour);
        calendar.set(UCAL_MINUTE, minute);
        candidate = calendar.getTime(status);
    }
    if (U_FAILURE(status)) {
        throw std::runtime_error("ICU could not compute the schedule's next run");
    }
    return Clock::time_point(duration_cast<Clock::duration>(milliseconds(int64_t(candidate))));
}

}  // namespace clientele::jobs
