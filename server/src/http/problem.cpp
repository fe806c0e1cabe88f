#include "http/problem.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace clientele::http {

Response problem_response(const Error& error, const Request& request) {
    const CodeInfo& info = code_info(error.code());
    boost::json::object body{
        {"type", "/problems/" + std::string(info.slug)},
        {"title", info.title},
        {"status", info.status},
        {"detail", error.detail()},
        {"instance", request.path},
        {"request_id", request.request_id},
    };
    if (!error.errors().empty()) {
        boost::json::array errors;
        for (const FieldError& e : error.errors()) {
            errors.push_back(boost::json::object{{"field", e.field}, {"message", e.message}});
        }
        body["errors"] = std::move(errors);
    }
    Response response;
    response.status = info.status;
    response.content_type = "application/problem+json";
    response.body = boost::json::serialize(body);
    if (error.retry_after() > 0) {
        response.set_header("Retry-After", std::to_string(error.retry_after()));
    }
    return response;
}

}  // namespace clientele::http
