#include "core/phone.hpp"

#include <phonenumbers/phonenumberutil.h>

namespace clientele {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

std::optional<std::string> to_e164(std::string_view text, std::string_view region) {
    // The library's singleton is thread-safe and built once; parsing allocates, like any string.
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    if (util.Parse(std::string(text), std::string(region), &number) !=
            PhoneNumberUtil::NO_PARSING_ERROR ||
        !util.IsValidNumber(number)) {
        return std::nullopt;
    }
    std::string formatted;
    util.Format(number, PhoneNumberUtil::E164, &formatted);
    return formatted;
}

bool is_phone_region(std::string_view region) {
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    return util.GetCountryCodeForRegion(std::string(region)) != 0;
}

}  // namespace clientele
