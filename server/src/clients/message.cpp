#include "clients/message.hpp"

#include <kainjow/mustache.hpp>

namespace clientele::clients {

namespace mustache = kainjow::mustache;

const std::string_view default_credentials_template =
    "Your Clientele account is ready!\n\n"
    "Company: {{company_name}}\nUsername: {{username}}\nPassword: {{password}}\n"
    "Login URL: {{login_url}}\n\n"
    "Instructions:\n1. Go to the login page\n2. Click the \"Client login\" tab\n"
    "3. Enter your username and password\n4. Change your password after your first sign-in\n";

const std::vector<std::string_view>& credentials_template_variables() {
    static const std::vector<std::string_view> names{"company_name", "contact_person_name",
                                                     "username", "password", "login_url"};
    return names;
}

std::optional<std::string> template_problem(const std::string& text) {
    mustache::mustache tmpl(text);
    if (!tmpl.is_valid()) {
        return tmpl.error_message();
    }
    return std::nullopt;
}

std::string render_credentials(const std::string& text, const CredentialsValues& values) {
    mustache::mustache tmpl(text);
    tmpl.set_custom_escape([](const std::string& s) { return s; });  // a text message, not HTML
    mustache::data data;
    data.set("company_name", values.company_name);
    data.set("contact_person_name", values.contact_person_name);
    data.set("username", values.username);
    data.set("password", values.password);
    data.set("login_url", values.login_url);
    return tmpl.render(data);
}

}  // namespace clientele::clients
