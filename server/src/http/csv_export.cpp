#include "http/csv_export.hpp"

#include <fmt/format.h>

#include <memory>

#include "store/db.hpp"

namespace clientele::http {

namespace {
// Rows per page: big enough that the per-page transaction costs nothing, small enough that a
// page is a few hundred KiB at most.
constexpr int page_rows = 1000;
}  // namespace

Response csv_download(std::string filename, store::Database& db, std::optional<int64_t> tenant,
                      const std::function<void(CsvWriter&)>& header, CsvPage page) {
    struct Progress {
        CsvWriter csv;
        int64_t after = 0;
        bool done = false;
    };
    auto progress = std::make_shared<Progress>();
    header(progress->csv);
    Response response;
    response.content_type = "text/csv; charset=utf-8";
    response.set_header("Content-Disposition",
                        fmt::format("attachment; filename=\"{}\"", filename));
    response.stream = [&db, tenant, page = std::move(page), progress]() -> std::string {
        if (!progress->done) {
            auto last = db.read(tenant, [&](store::Tx& tx) {
                return page(tx, progress->after, page_rows, progress->csv);
            });
            progress->done = !last;
            progress->after = last.value_or(progress->after);
        }
        return progress->csv.take();  // empty once done and drained: the end of the body
    };
    return response;
}

}  // namespace clientele::http
