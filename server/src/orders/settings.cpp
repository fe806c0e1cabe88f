#include "orders/settings.hpp"

#include "audit/trail.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "orders/queries.hpp"
#include "store/db.hpp"

namespace clientele::orders {

std::string base_currency(store::Tx& tx) {
    auto q = tx.query(sql::setting, "base_currency");
    return q.step() ? std::string(q.text(0)) : std::string(default_base_currency);
}

void set_base_currency(store::Tx& tx, const std::string& code) {
    std::string before = base_currency(tx);
    if (before == code) {
        return;
    }
    if (tx.exec(sql::set_base_currency, code, now_timestamp()) == 0) {
        throw Error(Code::conflict,
                    "The base currency cannot change once the workspace has orders: their value "
                    "figures are in " +
                        before + ".",
                    {{"base_currency", "cannot change once the workspace has orders"}});
    }
    audit::record(tx, {"settings.updated",
                       "settings",
                       std::nullopt,
                       {{"base_currency", {{"from", before}, {"to", code}}}}});
}

}  // namespace clientele::orders
