// http/: the route table, the request helpers and streamed CSV downloads.
#include "http/router.hpp"

#include <gtest/gtest.h>

#include "http/csv_export.hpp"
#include "http/message.hpp"
#include "store/db.hpp"
#include "test_db.hpp"

using namespace clientele::http;

namespace {
clientele::Task<Response> ok(RequestContext&) {
    co_return Response::no_content();
}
std::vector<std::string> segments(std::string target) {
    Request r;
    EXPECT_TRUE(parse_target(target, r));
    return r.segments;
}
}  // namespace

TEST(Router, MatchesLiteralsAndParameters) {
    Router router;
    router.add(Method::get, "/api/customers", Access::signed_in(), ok);
    router.add(Method::get, "/api/customers/{id}", Access::signed_in(), ok);
    router.add(Method::post, "/api/customers/{id}/restore", Access::signed_in(), ok);

    auto path = segments("/api/customers/42?x=1");  // the match's views point into it
    auto m = router.match(Method::get, path);
    ASSERT_TRUE(m.route);
    EXPECT_EQ(m.route->pattern, "/api/customers/{id}");
    ASSERT_EQ(m.params.size(), 1u);
    EXPECT_EQ(m.params[0].first, "id");
    EXPECT_EQ(m.params[0].second, "42");

    EXPECT_TRUE(router.match(Method::head, segments("/api/customers")).route);
    EXPECT_FALSE(router.match(Method::get, segments("/api/customer")).route);
    EXPECT_TRUE(router.match(Method::get, segments("/api/customer")).allowed.empty());
}

TEST(Router, ListsTheAllowedMethods) {
    Router router;
    router.add(Method::get, "/api/customers", Access::signed_in(), ok);
    router.add(Method::post, "/api/customers", Access::signed_in(), ok);
    auto m = router.match(Method::del, segments("/api/customers"));
    EXPECT_FALSE(m.route);
    EXPECT_EQ(m.allowed, (std::vector<Method>{Method::get, Method::head, Method::post}));
}

TEST(Request, DecodesSegmentsAndQuery) {
    Request r;
    ASSERT_TRUE(parse_target("/api/customers/a%2Fb?q=J%C3%B6rg&limit=5", r));
    EXPECT_EQ(r.segments, (std::vector<std::string>{"api", "customers", "a/b"}));
    ASSERT_EQ(r.query.size(), 2u);
    EXPECT_EQ(r.query[0].second, "Jörg");
    EXPECT_FALSE(parse_target("http://elsewhere/x", r));
}

TEST(Request, ReadsCookiesAndHeadersCaseInsensitively) {
    Request r;
    r.headers = {{"Cookie", "a=1; clientele_session=abc; b=2"}, {"X-CSRF-Token", "t"}};
    EXPECT_EQ(r.cookie("clientele_session"), "abc");
    EXPECT_EQ(r.cookie("b"), "2");
    EXPECT_FALSE(r.cookie("c"));
    EXPECT_EQ(r.header("x-csrf-token"), "t");
}

TEST(Request, TheClientAddressComesFromTrustedProxiesOnly) {
    const std::vector<std::string> proxies{"127.0.0.1", "10.0.0.5"};
    // No proxy, or one not trusted: the socket's peer, whatever the header claims.
    EXPECT_EQ(client_address("203.0.113.9", "198.51.100.1", {}), "203.0.113.9");
    EXPECT_EQ(client_address("203.0.113.9", "198.51.100.1", proxies), "203.0.113.9");
    // Behind nginx: the address nginx appended, not what the client put before it.
    EXPECT_EQ(client_address("127.0.0.1", "6.6.6.6, 198.51.100.1", proxies), "198.51.100.1");
    // Two trusted hops: the nearest untrusted entry.
    EXPECT_EQ(client_address("127.0.0.1", "198.51.100.1 , 10.0.0.5", proxies), "198.51.100.1");
    // A trusted proxy without the header, or with only trusted entries.
    EXPECT_EQ(client_address("127.0.0.1", "", proxies), "127.0.0.1");
    EXPECT_EQ(client_address("127.0.0.1", "10.0.0.5,", proxies), "10.0.0.5");
}

TEST(CsvDownload, StreamsEveryPageThenEnds) {
    clientele::testing::TempDatabase db;
    db->write(std::nullopt, [](clientele::store::Tx& tx) {
        tx.exec("CREATE TABLE numbers (n INTEGER PRIMARY KEY)");
        tx.exec(
            "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 2500)"
            " INSERT INTO numbers SELECT n FROM s");
    });
    int pages = 0;
    Response response = csv_download(
        "numbers.csv", *db, std::nullopt, [](clientele::CsvWriter& csv) { csv.row({"n"}); },
        [&](clientele::store::Tx& tx, int64_t after, int limit, clientele::CsvWriter& csv) {
            ++pages;
            auto q = tx.query("SELECT n FROM numbers WHERE n > ? ORDER BY n LIMIT ?", after, limit);
            std::optional<int64_t> last;
            while (q.step()) {
                last = q.int64(0);
                csv.row({std::to_string(*last)});
            }
            return last;
        });
    EXPECT_EQ(response.content_type, "text/csv; charset=utf-8");
    EXPECT_EQ(response.header("Content-Disposition"), "attachment; filename=\"numbers.csv\"");
    std::string expected = "\xEF\xBB\xBFn\r\n";
    for (int n = 1; n <= 2500; ++n) {
        expected += std::to_string(n) + "\r\n";
    }
    std::string streamed;
    int pieces = 0;
    for (std::string piece = response.stream(); !piece.empty(); piece = response.stream()) {
        streamed += piece;
        ++pieces;
    }
    EXPECT_EQ(streamed, expected);
    EXPECT_EQ(pages, 4);   // 1000 + 1000 + 500 + the empty one that ends it
    EXPECT_EQ(pieces, 3);  // the header travels with the first page
    EXPECT_EQ(response.stream(), "");
}
