// CSV for spreadsheets: RFC 4180 quoting, and cells that a spreadsheet would run as a formula
// (starting with = + - @, tab or carriage return) neutralised with a leading apostrophe (OWASP's
// advice against CSV injection).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace clientele {

class CsvWriter {
  public:
    //! Starts with a UTF-8 byte order mark, so spreadsheets read the text as UTF-8.
    CsvWriter();

    //! Appends one record; fields are quoted when they hold a comma, quote or line break.
    void row(std::initializer_list<std::string_view> fields);
    const std::string& text() const { return text_; }
    //! Hands over what has been written so far and starts empty (for a body sent in pieces).
    std::string take() { return std::exchange(text_, {}); }

  private:
    void field(std::string_view value);
    std::string text_;
};

}  // namespace clientele
