// Indian GST identification numbers (GSTIN), for client accounts (seed 001's "GST Number").
#pragma once

#include <string_view>

namespace clientele {

//! True for a well-formed 15-character GSTIN: a state code 01–38 or 97 (other territory) or 99
//! (centre), a PAN (five letters, four digits, a letter), an entity number (1–9 or A–Z), 'Z', and
//! the mod-36 check character of the GSTN's published algorithm. Upper case only.
bool is_valid_gstin(std::string_view gstin);

}  // namespace clientele
