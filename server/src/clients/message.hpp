// The ready-to-send credentials message (seed 001: "Your ERP Account is Ready!"), from a mustache
// template the operator can edit.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clientele::clients {

//! The template used until the operator saves one.
extern const std::string_view default_credentials_template;
//! The variables a template may use.
const std::vector<std::string_view>& credentials_template_variables();

//! Why `text` is not a usable template (mustache syntax), or nullopt when it is.
std::optional<std::string> template_problem(const std::string& text);

struct CredentialsValues {
    std::string company_name, contact_person_name, username, password, login_url;
};
//! The message: `text` rendered as plain text (no HTML escaping).
std::string render_credentials(const std::string& text, const CredentialsValues& values);

}  // namespace clientele::clients
