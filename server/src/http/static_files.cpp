#include "http/static_files.hpp"

#include <array>
#include <fstream>
#include <iterator>
#include <memory>
#include <system_error>

#include "core/error.hpp"
#include "http/context.hpp"

namespace clientele::http {

namespace {

struct MimeType {
    std::string_view extension, type;
};
constexpr std::array<MimeType, 13> mime_types{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".txt", "text/plain; charset=utf-8"},
}};

std::string_view mime_type_of(const std::filesystem::path& file) {
    std::string extension = file.extension().string();
    for (const auto& m : mime_types) {
        if (m.extension == extension) {
            return m.type;
        }
    }
    return "application/octet-stream";
}

std::optional<std::string> read_file(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        return std::nullopt;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Response file_response(const std::filesystem::path& file, std::string body, bool immutable) {
    Response response;
    response.content_type = std::string(mime_type_of(file));
    response.body = std::move(body);
    // Vite names assets by their content's hash: a changed file has a new name.
    response.set_header("Cache-Control",
                        immutable ? "public, max-age=31536000, immutable" : "no-cache");
    if (response.content_type.starts_with("text/html")) {
        response.set_header("Content-Security-Policy", std::string(content_security_policy));
        response.set_header("X-Frame-Options", "DENY");
        response.set_header("Referrer-Policy", "same-origin");
    }
    return response;
}

}  // namespace

Handler static_files(std::filesystem::path root) {
    auto base = std::make_shared<std::filesystem::path>(std::move(root));
    return [base](RequestContext& ctx) -> Task<Response> {
        const auto& segments = ctx.request.segments;
        std::filesystem::path file = *base;
        bool immutable = !segments.empty() && segments.front() == "assets";
        for (const std::string& segment : segments) {
            // Segments are decoded: one holding a slash or naming a parent or hidden file could
            // climb out of the root.
            if (segment.empty() || segment.front() == '.' ||
                segment.find_first_of("/\\") != std::string::npos ||
                segment.find('\0') != std::string::npos) {
                throw Error(Code::not_found, "There is nothing at this address.");
            }
            file /= segment;
        }
        // Source maps give away the UI's source: the build makes none, and one put there by
        // hand (a development build) is not served either.
        if (!segments.empty() && segments.back().ends_with(".map")) {
            throw Error(Code::not_found, "There is nothing at this address.");
        }
        if (segments.empty() || (segments.size() == 1 && segments.front().empty())) {
            file = *base / "index.html";
        }
        if (auto body = read_file(file)) {
            co_return file_response(file, std::move(*body), immutable);
        }
        // A client-side route (/app/customers/12): the app's page, which routes it itself.
        bool page = !segments.empty() && !immutable &&
                    std::filesystem::path(segments.back()).extension().empty();
        if (page) {
            std::filesystem::path index = *base / "index.html";
            if (auto body = read_file(index)) {
                co_return file_response(index, std::move(*body), false);
            }
            throw Error(
                Code::not_found,
                "The web UI is not built here: run scripts/build-ui.sh (npm install && npm run "
                "build in ui/), or point --ui-dir at a build.");
        }
        throw Error(Code::not_found, "There is nothing at this address.");
    };
}

}  // namespace clientele::http
