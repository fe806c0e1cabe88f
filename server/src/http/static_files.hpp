// The web UI's built files (ui/dist: index.html and Vite's hashed assets), served by the server
// itself: hashed assets cached for good, index.html revalidated, client-side routes answered with
// index.html, and a Content-Security-Policy that allows no inline script.
#pragma once

#include <filesystem>

#include "http/router.hpp"

namespace clientele::http {

//! The handler for Router::set_fallback. Files are read under `root` only; a path that is not
//! there is answered with index.html when it looks like a page (no extension), else 404.
Handler static_files(std::filesystem::path root);

//! The policy every HTML page is served with.
inline constexpr std::string_view content_security_policy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

}  // namespace clientele::http
