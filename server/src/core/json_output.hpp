// Small helpers for writing JSON replies.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>

namespace clientele {

//! The value, or JSON null when there is none.
inline boost::json::value nullable(const std::optional<std::string>& value) {
    return value ? boost::json::value(*value) : boost::json::value(nullptr);
}

}  // namespace clientele
