// A customer's avatar (seed 000): upload (PNG, JPEG or WebP, at most 2 MiB, the type told from the
// bytes), the image and its 128x128 thumbnail served back, and removal.
#pragma once

#include <cstddef>

#include "area.hpp"

namespace clientele::customers {

inline constexpr size_t max_avatar_bytes = size_t{2} << 20;

void register_avatar_routes(http::Router& router, App& app);

}  // namespace clientele::customers
