// Small helpers for writing JSON replies.
#pragma once

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>

namespace clientele {

//! The value, or JSON null when there is none.
inline boost::json::value nullable(const std::optional<std::string>& value) {
    return value ? boost::json::value(*value) : boost::json::value(nullptr);
}

//! Memory for building one answer: a monotonic buffer, freed all at once with the last value
//! that uses it. Building a page of records in it avoids an allocation per string.
inline boost::json::storage_ptr scratch_storage() {
    return boost::json::make_shared_resource<boost::json::monotonic_resource>();
}

}  // namespace clientele
