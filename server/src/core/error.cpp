#include "core/error.hpp"

#include <fmt/format.h>

#include <array>

namespace clientele {

namespace {
constexpr std::array code_table{
#define CLIENTELE_ERROR_INFO(name, status, slug, title) CodeInfo{status, slug, title},
    CLIENTELE_ERROR_CODES(CLIENTELE_ERROR_INFO)
#undef CLIENTELE_ERROR_INFO
};
}  // namespace

const CodeInfo& code_info(Code code) {
    return code_table.at(static_cast<size_t>(code));
}

const std::vector<Code>& all_codes() {
    static const std::vector<Code> codes{
#define CLIENTELE_ERROR_LIST(name, status, slug, title) Code::name,
        CLIENTELE_ERROR_CODES(CLIENTELE_ERROR_LIST)
#undef CLIENTELE_ERROR_LIST
    };
    return codes;
}

Error::Error(Code code, std::string detail, std::vector<FieldError> errors)
    : std::runtime_error(detail),
      code_(code),
      detail_(std::move(detail)),
      errors_(std::move(errors)) {}

Error field_error(std::string field, std::string message) {
    std::string detail = "Invalid value for " + field + ": " + message + ".";
    return Error(Code::validation_failed, std::move(detail),
                 {FieldError{std::move(field), std::move(message)}});
}

void check_version(std::optional<int64_t> expected, int64_t current, std::string_view what) {
    if (expected && *expected != current) {
        throw Error(Code::precondition_failed,
                    fmt::format("The {} has changed since version {} (now {}); reload it and "
                                "apply your change again.",
                                what, *expected, current));
    }
}

}  // namespace clientele
