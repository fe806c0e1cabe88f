#include "store/columns.hpp"

namespace clientele::store {

namespace {
void append(std::string& list, std::string_view item) {
    if (!list.empty()) {
        list += ", ";
    }
    list += item;
}
}  // namespace

void ColumnText::add(std::string_view select, int width, std::string_view write) {
    if (width > 0) {
        append(select_, select);
        width_ += width;
    }
    // `write` may name several columns ("street, street2"), bound in that order.
    while (!write.empty()) {
        size_t comma = write.find(',');
        std::string_view name = write.substr(0, comma);
        write = comma == std::string_view::npos ? std::string_view() : write.substr(comma + 1);
        while (name.starts_with(' ')) {
            name.remove_prefix(1);
        }
        append(names_, name);
        append(values_, "?");
        append(set_, std::string(name) + " = ?");
    }
}

std::string ColumnText::sql(std::string_view text) const {
    struct Slot {
        std::string_view name;
        const std::string& value;
    };
    const Slot slots[] = {
        {"{columns}", select_}, {"{names}", names_}, {"{values}", values_}, {"{set}", set_}};
    std::string out;
    out.reserve(text.size() + select_.size());
    size_t at = 0;
    while (at < text.size()) {
        size_t brace = text.find('{', at);
        if (brace == std::string_view::npos) {
            break;
        }
        out.append(text.substr(at, brace - at));
        at = brace;
        bool replaced = false;
        for (const Slot& slot : slots) {
            if (text.substr(brace).starts_with(slot.name)) {
                out += slot.value;
                at += slot.name.size();
                replaced = true;
                break;
            }
        }
        if (!replaced) {
            out += '{';
            ++at;
        }
    }
    out.append(text.substr(at));
    return out;
}

}  // namespace clientele::store
