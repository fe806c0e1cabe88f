// http/: the route table, the request helpers and streamed CSV downloads.
#include "http/router.hpp"

#include <gtest/gtest.h>

#include "core/config.hpp"
#include "http/context.hpp"
#include "http/csv_export.hpp"
#include "http/message.hpp"
#include "http/pipeline.hpp"
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

TEST(Router, ALiteralSegmentWinsOverAParameterWhateverTheOrder) {
    Router router;
    router.add(Method::get, "/api/customers/{id}", Access::signed_in(), ok);
    router.add(Method::get, "/api/customers/{id}/history", Access::signed_in(), ok);
    router.add(Method::get, "/api/customers/exports", Access::signed_in(), ok);
    router.add(Method::get, "/api/customers/exports/{id}", Access::signed_in(), ok);
    router.add(Method::get, "/api/{any}/exports/{id}", Access::signed_in(), ok);
    auto pattern = [&](std::string target) {
        auto path = segments(target);
        auto m = router.match(Method::get, path);
        return m.route ? m.route->pattern : std::string("none");
    };
    EXPECT_EQ(pattern("/api/customers/exports"), "/api/customers/exports");
    EXPECT_EQ(pattern("/api/customers/7"), "/api/customers/{id}");
    EXPECT_EQ(pattern("/api/customers/exports/7"), "/api/customers/exports/{id}");
    EXPECT_EQ(pattern("/api/customers/7/history"), "/api/customers/{id}/history");
    EXPECT_EQ(pattern("/api/orders/exports/7"), "/api/{any}/exports/{id}");
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

namespace {

// The answer of a pipeline with the routes `add` makes, to `target`: the handlers run inline.
Response answer(const std::function<void(Router&)>& add, std::string target) {
    clientele::Config config;
    clientele::App app{nullptr, nullptr, &config, {}};
    Router router;
    add(router);
    Pipeline pipeline(app, router, [](RequestContext&, const Access&) { return std::nullopt; });
    Request request;
    request.method = Method::get;
    request.target = target;
    EXPECT_TRUE(parse_target(target, request));
    std::optional<Response> response;
    pipeline.handle(request, [&](Response r) { response = std::move(r); });
    EXPECT_TRUE(response);  // nothing here suspends
    return response ? *response : Response{};
}

}  // namespace

TEST(Pipeline, AUniqueViolationIsAConflict) {
    auto response = answer(
        [](Router& router) {
            router.add(
                Method::get, "/x", Access::anyone(),
                [](RequestContext&) -> clientele::Task<Response> {
                    throw clientele::store::UniqueViolation("UNIQUE constraint failed: tags.name");
                    co_return Response::no_content();
                });
        },
        "/x");
    EXPECT_EQ(response.status, 409);
    EXPECT_NE(response.body.find("/problems/conflict"), std::string::npos) << response.body;
    EXPECT_EQ(response.body.find("tags.name"), std::string::npos);  // the store's words stay in
}

TEST(Pipeline, ControlCharactersInThePathOrQueryAreRefused) {
    auto add = [](Router& router) { router.add(Method::get, "/x/{id}", Access::anyone(), ok); };
    EXPECT_EQ(answer(add, "/x/1?q=a").status, 204);
    EXPECT_EQ(answer(add, "/x/1%00").status, 404);
    auto query = answer(add, "/x/1?q=a%00b&limit=5");
    EXPECT_EQ(query.status, 422);
    EXPECT_NE(query.body.find(R"("field":"q")"), std::string::npos) << query.body;
    EXPECT_EQ(answer(add, "/x/1?q=line%0Abreak").status, 422);
}

TEST(RequestContext, IdsAreCanonicalDecimal) {
    clientele::App app;
    Request request;
    for (std::string_view good : {"1", "42", "9223372036854775807"}) {
        RequestContext ctx(app, request, {{"id", good}});
        EXPECT_GT(ctx.id_param("id"), 0) << good;
    }
    for (std::string_view bad :
         {"01", "0", "00", "+1", "-1", "1.0", " 1", "1 ", "0x1", "", "9223372036854775808"}) {
        RequestContext ctx(app, request, {{"id", bad}});
        EXPECT_THROW(ctx.id_param("id"), clientele::Error) << bad;
    }
}

TEST(RequestContext, JsonBodiesAreUtf8Only) {
    clientele::App app;
    auto body_with = [&](std::string content_type) {
        Request request;
        request.headers = {{"Content-Type", content_type}};
        request.body = R"({"a": 1})";
        RequestContext ctx(app, request, {});
        return ctx.json_body();
    };
    for (auto good :
         {"application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8",
          "application/json; charset=\"utf-8\"", "application/json; foo=bar; charset=utf-8"}) {
        EXPECT_EQ(body_with(good).at("a").as_int64(), 1) << good;
    }
    for (auto bad : {"application/json; charset=latin1", "application/json; charset=iso-8859-1",
                     "application/json;charset=\"utf-16\"", "text/plain; charset=utf-8"}) {
        try {
            body_with(bad);
            ADD_FAILURE() << bad;
        } catch (const clientele::Error& e) {
            EXPECT_EQ(e.code(), clientele::Code::unsupported_media_type) << bad;
        }
    }
}

TEST(PublicOrigin, OnlyAllowedHostsBuildLinks) {
    std::vector<std::string> allowed{"127.0.0.1:8080", "CRM.example.com", "[::1]:9000"};
    EXPECT_TRUE(host_allowed("127.0.0.1:8080", allowed));
    EXPECT_FALSE(host_allowed("127.0.0.1:8081", allowed));
    EXPECT_FALSE(host_allowed("127.0.0.1", allowed));
    EXPECT_TRUE(host_allowed("crm.example.com", allowed));
    EXPECT_TRUE(host_allowed("crm.example.com:8443", allowed));
    EXPECT_TRUE(host_allowed("[::1]:9000", allowed));
    EXPECT_FALSE(host_allowed("[::1]:9001", allowed));
    for (auto bad : {"", "evil.example", "crm.example.com.evil.example", "evil.example:8080",
                     "crm.example.comx", "127.0.0.1:8080@evil"}) {
        EXPECT_FALSE(host_allowed(bad, allowed)) << bad;
    }

    clientele::Config config;
    config.allowed_hosts = allowed;
    clientele::App app{nullptr, nullptr, &config, {}};
    Request request;
    request.headers = {{"Host", "crm.example.com:8443"}};
    EXPECT_EQ(public_origin(RequestContext(app, request, {})), "http://crm.example.com:8443");
    request.headers = {{"Host", "evil.example"}};
    EXPECT_THROW(public_origin(RequestContext(app, request, {})), clientele::Error);
    request.headers = {};
    EXPECT_THROW(public_origin(RequestContext(app, request, {})), clientele::Error);
    config.public_url = "https://crm.example.com";  // then the Host plays no part
    request.headers = {{"Host", "evil.example"}};
    EXPECT_EQ(public_origin(RequestContext(app, request, {})), "https://crm.example.com");
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
