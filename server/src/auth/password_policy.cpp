#include "auth/password_policy.hpp"

#include <unordered_set>

#include "core/text.hpp"

namespace clientele::embedded {
extern const std::string_view common_passwords_txt;
}

namespace clientele::auth {

namespace {
const std::unordered_set<std::string_view>& common_passwords() {
    static const std::unordered_set<std::string_view> set = [] {
        std::unordered_set<std::string_view> out;
        std::string_view text = embedded::common_passwords_txt;
        while (!text.empty()) {
            size_t end = text.find('\n');
            std::string_view line = text.substr(0, end);
            if (!line.empty()) {
                out.insert(line);
            }
            text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        }
        return out;
    }();
    return set;
}
}  // namespace

bool is_common_password(std::string_view password) {
    return common_passwords().contains(fold_case(password));
}

std::optional<std::string> password_problem(std::string_view password) {
    if (!is_valid_utf8(password)) {
        return "must be valid UTF-8";
    }
    size_t length = utf8_length(password);
    if (length < min_password_length) {
        return "must be at least 8 characters";
    }
    if (length > max_password_length) {
        return "must be at most 1024 characters";
    }
    if (is_common_password(password)) {
        return "is one of the 10,000 most common passwords; choose another";
    }
    return std::nullopt;
}

}  // namespace clientele::auth
