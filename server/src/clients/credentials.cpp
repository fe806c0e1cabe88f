#include "clients/credentials.hpp"

#include <sodium.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>
#include <mutex>
#include <stdexcept>

namespace clientele::clients {

namespace {
constexpr size_t max_base_length = 20;
constexpr int tries_per_length = 20;

// ICU transliterators are costly to build and not thread-safe to share while transliterating:
// one per thread, built on first use.
icu::Transliterator& to_ascii() {
    thread_local std::unique_ptr<icu::Transliterator> transliterator = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
            "Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
        if (U_FAILURE(status) || !t) {
            throw std::runtime_error("ICU transliterator Any-Latin; Latin-ASCII is not available");
        }
        return t;
    }();
    return *transliterator;
}

std::string random_digits(int count) {
    std::string out;
    for (int i = 0; i < count; ++i) {
        out += char('0' + randombytes_uniform(10));
    }
    return out;
}
}  // namespace

std::string username_base(std::string_view company_name) {
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(
        icu::StringPiece(company_name.data(), int32_t(company_name.size())));
    to_ascii().transliterate(text);
    std::string ascii;
    text.toUTF8String(ascii);
    std::string base;
    for (char c : ascii) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            base += c;
        } else if (c >= 'A' && c <= 'Z') {
            base += char(c - 'A' + 'a');
        }
        if (base.size() == max_base_length) {
            break;
        }
    }
    return base.empty() ? "client" : base;
}

std::string unique_username(std::string_view base,
                            const std::function<bool(const std::string&)>& is_taken) {
    for (int digits = 3; digits <= 9; ++digits) {
        for (int attempt = 0; attempt < tries_per_length; ++attempt) {
            std::string candidate = std::string(base) + random_digits(digits);
            if (!is_taken(candidate)) {
                return candidate;
            }
        }
    }
    throw std::runtime_error("no free username for " + std::string(base));
}

std::string generate_password(size_t length) {
    std::string out;
    out.reserve(length);
    for (size_t i = 0; i < length; ++i) {
        out += password_alphabet[randombytes_uniform(uint32_t(password_alphabet.size()))];
    }
    return out;
}

}  // namespace clientele::clients
