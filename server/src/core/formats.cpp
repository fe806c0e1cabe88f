#include "core/formats.hpp"

#include <boost/url/parse.hpp>
#include <string>

namespace clientele {

namespace {
bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
    return is_alpha(c) || is_digit(c);
}

bool is_atext(char c) {
    return is_alnum(c) || std::string_view("!#$%&'*+/=?^_`{|}~-").find(c) != std::string_view::npos;
}
// A DNS name of at least two labels whose last has a letter (example.com, xn--bcher-kva.de).
bool is_host_name(std::string_view domain) {
    if (domain.empty() || domain.size() > 253) {
        return false;
    }
    size_t labels = 0;
    std::string_view last_label;
    while (!domain.empty()) {
        size_t dot = domain.find('.');
        std::string_view label = domain.substr(0, dot);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
            return false;
        }
        for (char c : label) {
            if (!is_alnum(c) && c != '-') {
                return false;
            }
        }
        ++labels;
        last_label = label;
        if (dot == std::string_view::npos) {
            break;
        }
        domain.remove_prefix(dot + 1);
        if (domain.empty()) {
            return false;  // trailing dot
        }
    }
    bool tld_has_letter = false;
    for (char c : last_label)
        tld_has_letter = tld_has_letter || is_alpha(c);
    return labels >= 2 && tld_has_letter && last_label.size() >= 2;
}

}  // namespace

bool is_valid_email(std::string_view address) {
    if (address.size() > 254) {
        return false;
    }
    size_t at = address.rfind('@');
    if (at == std::string_view::npos || at == 0 || at > 64) {
        return false;
    }
    std::string_view local = address.substr(0, at), domain = address.substr(at + 1);
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
        return false;
    }
    for (char c : local) {
        if (!is_atext(c) && c != '.') {
            return false;
        }
    }
    return is_host_name(domain);
}

bool is_valid_phone(std::string_view phone) {
    if (phone.size() < 3 || phone.size() > 32) {
        return false;
    }
    int digits = 0;
    for (size_t i = 0; i < phone.size(); ++i) {
        char c = phone[i];
        if (is_digit(c)) {
            ++digits;
        } else if (c == '+') {
            if (i != 0)
                return false;
        } else if (std::string_view(" -().").find(c) == std::string_view::npos) {
            return false;
        }
    }
    return digits >= 3;
}

bool is_valid_locale(std::string_view tag) {
    if (tag.empty() || tag.size() > 35) {
        return false;
    }
    size_t index = 0;
    while (!tag.empty()) {
        size_t dash = tag.find('-');
        std::string_view part = tag.substr(0, dash);
        if (index == 0) {
            if (part.size() < 2 || part.size() > 3)
                return false;
            for (char c : part)
                if (!is_alpha(c))
                    return false;
        } else {
            if (part.size() < 2 || part.size() > 8)
                return false;
            for (char c : part)
                if (!is_alnum(c))
                    return false;
        }
        ++index;
        if (dash == std::string_view::npos) {
            break;
        }
        tag.remove_prefix(dash + 1);
        if (tag.empty()) {
            return false;
        }
    }
    return true;
}

std::optional<std::string> normalize_website(std::string_view text) {
    if (text.empty() || text.size() > 2048) {
        return std::nullopt;
    }
    std::string address(text);
    if (address.find("://") == std::string::npos) {
        address = "https://" + address;
    }
    auto url = boost::urls::parse_absolute_uri(address);
    if (!url) {
        return std::nullopt;
    }
    std::string scheme(url->scheme());
    for (char& c : scheme) {
        c = char(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    if ((scheme != "http" && scheme != "https") || url->has_userinfo() ||
        url->host_type() != boost::urls::host_type::name || !is_host_name(url->encoded_host())) {
        return std::nullopt;
    }
    return address;
}

}  // namespace clientele
