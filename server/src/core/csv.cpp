#include "core/csv.hpp"

namespace clientele {

CsvWriter::CsvWriter() : text_("\xEF\xBB\xBF") {}

void CsvWriter::row(std::initializer_list<std::string_view> fields) {
    bool first = true;
    for (std::string_view value : fields) {
        if (!first) {
            text_ += ',';
        }
        first = false;
        field(value);
    }
    text_ += "\r\n";  // RFC 4180 line ends
}

void CsvWriter::field(std::string_view value) {
    bool formula = !value.empty() &&
                   std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos;
    bool quote = formula || value.find_first_of(",\"\r\n") != std::string_view::npos;
    if (quote) {
        text_ += '"';
    }
    if (formula) {
        text_ += '\'';
    }
    for (char c : value) {
        text_ += c;
        if (c == '"') {
            text_ += '"';
        }
    }
    if (quote) {
        text_ += '"';
    }
}

}  // namespace clientele
