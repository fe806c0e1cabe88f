// Phone numbers in their E.164 form, through libphonenumber (Google's metadata for every region).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace clientele {

//! The E.164 form (`+919876543210`) of a phone number written in any usual way ("098765 43210",
//! "+91 98765-43210", "(0)20 7946 0958"). A number without a +country code is read as a number of
//! `region` (ISO 3166-1 alpha-2). nullopt when it is not a valid number for its region.
std::optional<std::string> to_e164(std::string_view text, std::string_view region);

//! Whether libphonenumber knows `region` (an ISO 3166-1 alpha-2 code, upper case).
bool is_phone_region(std::string_view region);

}  // namespace clientele
